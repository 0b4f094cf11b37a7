import { clientsFor, PATTERN_INFO } from '../catalog';
import { lowerFirst } from '../options';
import { PATTERNS, type Combination, type LanguageTemplates, type RenderContext } from '../types';
import { GO_PATTERNS, type GoContext } from './patterns';
import { renderGoStore } from './stores';

/** Standard-library packages by the selector the code uses them with. */
const STDLIB: Array<[string, string]> = [
  ['list.', '"container/list"'], ['crand.', 'crand "crypto/rand"'], ['sha1.', '"crypto/sha1"'], ['hex.', '"encoding/hex"'],
  ['json.', '"encoding/json"'], ['errors.', '"errors"'], ['fmt.', '"fmt"'], ['log.', '"log"'], ['math.', '"math"'],
  ['rand.', '"math/rand"'], ['sync.', '"sync"'], ['time.', '"time"'], ['context.', '"context"'],
];

function basics(g: GoContext): string {
  const json = g.opts.serializer === 'json';
  return `// ${g.E} is the cached value; ${json ? 'replace it with your own type (it must survive encoding/json)' : 'values are stored as they are'}.
type ${g.E} = ${json ? 'map[string]any' : 'string'}

var zero${g.E} ${g.E}

const (
	TTL       = ${g.opts.ttl} * time.Second
	KeyPrefix = "${g.opts.prefix}"
)

// ${g.E}Loader reads one ${g.E} from the source of truth; found is false when it does not exist.
type ${g.E}Loader func(ctx context.Context, id string) (value ${g.E}, found bool, err error)

// ${g.E}Writer writes one ${g.E} to the source of truth.
type ${g.E}Writer func(ctx context.Context, id string, value ${g.E}) error

func encode(value ${g.E}) (string, error) {
${json ? '\ttext, err := json.Marshal(value)\n\treturn string(text), err' : '\treturn value, nil'}
}

func decode(text string) (${g.E}, error) {
${json ? `\tvar value ${g.E}\n\terr := json.Unmarshal([]byte(text), &value)\n\treturn value, err` : '\treturn text, nil'}
}

// withJitter adds up to 10% random extra TTL, so entries written together do not all expire together.
func withJitter(ttl time.Duration) time.Duration {
	return ttl + time.Duration(rand.Int63n(int64(ttl/10)+1))
}
`;
}

const TOKEN = `
// randomToken is a 128-bit random value: a lock holder's identity, or a fresh tag version.
func randomToken() string {
	b := make([]byte, 16)
	if _, err := crand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}
`;

export const goTemplates: LanguageTemplates = {
  lang: 'go',
  extension: 'go',
  combinations(): Combination[] {
    const out: Combination[] = [];
    for (const pattern of PATTERNS) {
      for (const ci of clientsFor('go')) {
        if (PATTERN_INFO[pattern].backends.includes(ci.backend)) out.push({ pattern, lang: 'go', client: ci.client, backend: ci.backend });
      }
    }
    return out;
  },
  render(ctx: RenderContext): string {
    const g: GoContext = { ...ctx, E: ctx.opts.entity, S: `${ctx.opts.entity}Store`, L: lowerFirst(ctx.opts.loader), W: lowerFirst(ctx.opts.writer) };
    const pattern = GO_PATTERNS[ctx.pattern];
    const store = renderGoStore(ctx, pattern.caps);
    let body = [basics(g), store.code, pattern.body(g)].join('\n');
    if (body.includes('randomToken()')) body += TOKEN;
    const std = STDLIB.filter(([sel]) => new RegExp(`(^|[^A-Za-z0-9_.])${sel.replace('.', '\\.')}`, 'm').test(body)).map(([, imp]) => imp);
    const third = store.imports.filter((i) => i.includes('/') && i.includes('.com'));
    const stdAll = [...new Set([...std, ...store.imports.filter((i) => !third.includes(i))])].sort((a, b) => a.replace(/^\w+ /, '').localeCompare(b.replace(/^\w+ /, '')));
    const imports = `import (\n${stdAll.map((i) => `\t${i}`).join('\n')}\n\n${third.map((i) => `\t${i}`).join('\n')}\n)\n`;
    return `package ${ctx.opts.goPackage}\n\n${imports}\n${body}`;
  },
};
