/** The chart module used by the analyze, simulator, ring and stats webviews. */
export { LineChart, type LineSeries, type GuideLine, type LineChartData, type LineChartOptions } from './lineChart';
export { BarChart, type BarSeries, type BarChartData, type BarChartOptions } from './barChart';
export { formatBytes, formatNumber } from './scale';
export { readTheme, type ChartTheme } from './theme';
