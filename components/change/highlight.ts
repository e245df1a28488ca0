// Syntax highlighting for diff lines with prism-react-renderer's Prism, coloured by Tailwind classes
// (so light and dark themes both read well), plus small grammars for what reviewers see most in
// infrastructure changes and Prism's bundle lacks: HCL/Terraform, shell, INI/TOML/.env, Java.
import { normalizeTokens, Prism, type Token } from 'prism-react-renderer';

type Grammar = Parameters<typeof Prism.tokenize>[1];

let registered = false;

function registerLanguages(): void {
  if (registered) return;
  registered = true;
  const L = Prism.languages as Record<string, Grammar>;
  L.hcl ??= {
    comment: /(?:\/\/|#).*|\/\*[\s\S]*?(?:\*\/|$)/,
    heredoc: { pattern: /<<-?(\w+)[\s\S]*?^[ \t]*\1/m, greedy: true, alias: 'string' },
    keyword: /\b(?:resource|data|module|variable|output|locals|provider|terraform|moved|import|removed|lifecycle|dynamic|for_each|count|depends_on|backend|required_providers)\b/,
    property: /[\w.-]+(?=\s*=(?!=))/,
    string: { pattern: /"(?:\\[\s\S]|\$\{[^}]*\}|[^\\"])*"/, greedy: true, inside: { variable: /\$\{[^}]*\}/ } },
    number: /\b0x[\da-f]+\b|\b\d+(?:\.\d*)?(?:e[+-]?\d+)?\b/i,
    boolean: /\b(?:false|true|null)\b/,
    punctuation: /[=[\]{}(),.]/,
  };
  L.bash ??= {
    shebang: { pattern: /^#!.*/, alias: 'comment' },
    comment: { pattern: /(^|[^"{\\$])#.*/, lookbehind: true },
    string: { pattern: /(["'])(?:\\[\s\S]|\$\([^)]*\)|(?!\1)[^\\])*\1/, greedy: true, inside: { variable: /\$\{[^}]+\}|\$\w+|\$\([^)]*\)/ } },
    variable: /\$\{[^}]+\}|\$\([^)]*\)|\$\w+/,
    keyword: /\b(?:if|then|else|elif|fi|for|in|do|done|while|until|case|esac|function|return|local|export|set|unset|readonly)\b/,
    function: { pattern: /(^|[\s;|&(])(?:kubectl|helm|terraform|rm|aws|gcloud|docker|git|curl|echo|printf|sudo|psql|mysql|make|npm|npx|go|python3?|sed|awk|grep|xargs|cat|cp|mv|mkdir|chmod|exit)(?=$|[\s;|&)])/, lookbehind: true },
    operator: /&&|\|\||[|&;<>]=?|\\$/,
    number: /\b\d+\b/,
    punctuation: /[{}[\]()]/,
  };
  L.ini ??= {
    comment: { pattern: /(^[ \t]*)[;#].*/m, lookbehind: true },
    section: { pattern: /^[ \t]*\[\[?[^\]\n]*\]\]?/m, alias: 'keyword' },
    property: { pattern: /(^[ \t]*)[^\s=:#;]+(?=[ \t]*[=:])/m, lookbehind: true },
    string: { pattern: /"(?:\\.|[^"\\\n])*"|'[^'\n]*'/, greedy: true },
    number: /\b\d+(?:\.\d+)?\b/,
    boolean: /\b(?:true|false|yes|no|on|off)\b/i,
    punctuation: /[=:[\]{},]/,
  };
  L.java ??= Prism.languages.extend('clike', {
    keyword: /\b(?:abstract|assert|boolean|break|byte|case|catch|char|class|const|continue|default|do|double|else|enum|extends|final|finally|float|for|goto|if|implements|import|instanceof|int|interface|long|native|new|package|private|protected|public|record|return|short|static|strictfp|super|switch|synchronized|this|throw|throws|transient|try|var|void|volatile|while|yield)\b/,
    'class-name': /\b[A-Z]\w*\b/,
    number: /\b0x[\da-f_]+\b|(?:\b\d[\d_]*(?:\.[\d_]*)?|\B\.\d[\d_]*)(?:e[+-]?\d+)?[dfl]?/i,
  });
}

const ALIASES: Record<string, string> = {
  typescript: 'tsx', tsx: 'tsx', javascript: 'jsx', jsx: 'jsx', python: 'python', go: 'go', kotlin: 'kotlin', swift: 'swift',
  rust: 'rust', c: 'c', cpp: 'cpp', objectivec: 'objectivec', sql: 'sql', yaml: 'yaml', json: 'json', markdown: 'markdown',
  graphql: 'graphql', css: 'css', scss: 'css', less: 'css', html: 'markup', xml: 'markup', vue: 'markup', svelte: 'markup',
  terraform: 'hcl', hcl: 'hcl', shell: 'bash', dockerfile: 'bash', makefile: 'bash',
  ini: 'ini', toml: 'ini', properties: 'ini', dotenv: 'ini', java: 'java', scala: 'java', groovy: 'java', csharp: 'java', php: 'clike',
};

/** Tokens per line for the given lines of one language; plain text when the language is unknown. */
export function tokenizeLines(lines: readonly string[], language: string | null): Token[][] {
  const grammarName = language ? ALIASES[language] : undefined;
  if (grammarName) registerLanguages();
  const grammar = grammarName ? (Prism.languages as Record<string, Grammar | undefined>)[grammarName] : undefined;
  if (!grammar || lines.some((l) => l.length > 2000)) return lines.map((l) => [{ types: ['plain'], content: l }]);
  try {
    const tokens = normalizeTokens(Prism.tokenize(lines.join('\n'), grammar));
    // normalizeTokens yields one array per line; a trailing empty line may be dropped.
    return lines.map((l, i) => tokens[i] ?? [{ types: ['plain'], content: l }]);
  } catch {
    return lines.map((l) => [{ types: ['plain'], content: l }]);
  }
}

const CLASS_BY_TYPE: Record<string, string> = {
  comment: 'text-zinc-500 italic dark:text-zinc-400',
  prolog: 'text-zinc-500 dark:text-zinc-400',
  keyword: 'text-violet-700 dark:text-violet-300',
  important: 'text-violet-700 font-semibold dark:text-violet-300',
  atrule: 'text-violet-700 dark:text-violet-300',
  selector: 'text-violet-700 dark:text-violet-300',
  string: 'text-emerald-700 dark:text-emerald-300',
  char: 'text-emerald-700 dark:text-emerald-300',
  'attr-value': 'text-emerald-700 dark:text-emerald-300',
  regex: 'text-emerald-700 dark:text-emerald-300',
  'template-string': 'text-emerald-700 dark:text-emerald-300',
  number: 'text-amber-700 dark:text-amber-300',
  boolean: 'text-amber-700 dark:text-amber-300',
  constant: 'text-amber-700 dark:text-amber-300',
  symbol: 'text-amber-700 dark:text-amber-300',
  function: 'text-sky-700 dark:text-sky-300',
  'class-name': 'text-sky-700 dark:text-sky-300',
  builtin: 'text-sky-700 dark:text-sky-300',
  property: 'text-indigo-700 dark:text-indigo-300',
  'attr-name': 'text-indigo-700 dark:text-indigo-300',
  tag: 'text-indigo-700 dark:text-indigo-300',
  key: 'text-indigo-700 dark:text-indigo-300',
  variable: 'text-rose-700 dark:text-rose-300',
  interpolation: 'text-rose-700 dark:text-rose-300',
  operator: 'text-zinc-500 dark:text-zinc-400',
  punctuation: 'text-zinc-500 dark:text-zinc-400',
};

export function tokenClass(token: Token): string | undefined {
  for (let i = token.types.length - 1; i >= 0; i--) {
    const c = CLASS_BY_TYPE[token.types[i]!];
    if (c) return c;
  }
  return undefined;
}
