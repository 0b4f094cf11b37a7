import com.sun.source.util.JavacTask;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Parses Java files with javac's own parser (JavacTask.parse) without resolving any symbol,
 * so generated code can be syntax-checked without Jedis or Spring on the class path.
 * Prints one line per syntax error and exits 1 if there was any.
 */
public final class ParseCheck {
    public static void main(String[] args) throws Exception {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<File> files = new ArrayList<>();
        for (String a : args) {
            files.add(new File(a));
        }
        try (StandardJavaFileManager fm = compiler.getStandardFileManager(diagnostics, Locale.ROOT, null)) {
            JavacTask task = (JavacTask) compiler.getTask(null, fm, diagnostics, List.of("-proc:none", "--release", "17"), null,
                fm.getJavaFileObjectsFromFiles(files));
            int units = 0;
            for (var unit : task.parse()) {
                units++;
            }
            int errors = 0;
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR) {
                    errors++;
                    System.out.println(new File(d.getSource().getName()).getName() + ":" + d.getLineNumber() + ": " + d.getMessage(Locale.ROOT));
                }
            }
            System.out.println("parsed " + units + " files, " + errors + " errors");
            System.exit(errors == 0 ? 0 : 1);
        }
    }
}
