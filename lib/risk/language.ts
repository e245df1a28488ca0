// File classification from the path alone (no content sniffing): drives syntax highlighting in the
// diff view and tells the detectors which rules apply (SQL statements, shell commands, config keys).
const LANGUAGE_BY_EXTENSION: Record<string, string> = {
  ts: 'typescript', tsx: 'tsx', mts: 'typescript', cts: 'typescript',
  js: 'javascript', jsx: 'jsx', mjs: 'javascript', cjs: 'javascript',
  py: 'python', pyi: 'python', go: 'go', java: 'java', kt: 'kotlin', kts: 'kotlin', scala: 'scala',
  rb: 'ruby', rake: 'ruby', rs: 'rust', cs: 'csharp', fs: 'fsharp', swift: 'swift', php: 'php',
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', m: 'objectivec',
  ex: 'elixir', exs: 'elixir', erl: 'erlang', clj: 'clojure', hs: 'haskell', lua: 'lua', pl: 'perl', r: 'r', dart: 'dart',
  sql: 'sql', psql: 'sql', ddl: 'sql',
  yaml: 'yaml', yml: 'yaml', json: 'json', jsonc: 'json', json5: 'json', toml: 'toml', ini: 'ini', cfg: 'ini', conf: 'ini',
  properties: 'properties', env: 'dotenv', xml: 'xml', csv: 'csv',
  tf: 'terraform', tfvars: 'terraform', hcl: 'hcl', nomad: 'hcl',
  sh: 'shell', bash: 'shell', zsh: 'shell', ksh: 'shell', fish: 'shell', ps1: 'powershell', bat: 'batch', cmd: 'batch',
  md: 'markdown', mdx: 'markdown', markdown: 'markdown', rst: 'rst', adoc: 'asciidoc', txt: 'text',
  html: 'html', htm: 'html', css: 'css', scss: 'scss', sass: 'sass', less: 'less', vue: 'vue', svelte: 'svelte',
  graphql: 'graphql', gql: 'graphql', proto: 'protobuf', prisma: 'prisma', dockerfile: 'dockerfile',
  mk: 'makefile', cmake: 'cmake', gradle: 'groovy', groovy: 'groovy', nix: 'nix', jsonnet: 'jsonnet', libsonnet: 'jsonnet',
  rego: 'rego', cue: 'cue', j2: 'jinja', tpl: 'gotemplate', gotmpl: 'gotemplate',
};

const LANGUAGE_BY_BASENAME: Record<string, string> = {
  dockerfile: 'dockerfile', containerfile: 'dockerfile', makefile: 'makefile', gnumakefile: 'makefile',
  jenkinsfile: 'groovy', rakefile: 'ruby', gemfile: 'ruby', procfile: 'yaml', justfile: 'makefile',
  '.env': 'dotenv', '.bashrc': 'shell', '.profile': 'shell', '.gitignore': 'ignore', '.dockerignore': 'ignore',
  'cmakelists.txt': 'cmake', vagrantfile: 'ruby', brewfile: 'ruby', podfile: 'ruby',
};

export function basenameOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash === -1 ? path : path.slice(slash + 1);
}

/** Language for highlighting, or null when the path says nothing useful. */
export function detectLanguage(path: string): string | null {
  const base = basenameOf(path).toLowerCase();
  const byName = LANGUAGE_BY_BASENAME[base];
  if (byName) return byName;
  // Dockerfile.prod, prod.Dockerfile, .env.production
  if (base.startsWith('dockerfile.') || base.endsWith('.dockerfile')) return 'dockerfile';
  if (base.startsWith('.env.')) return 'dotenv';
  const dot = base.lastIndexOf('.');
  if (dot === -1 || dot === base.length - 1) return null;
  return LANGUAGE_BY_EXTENSION[base.slice(dot + 1)] ?? null;
}

const DOC_LANGUAGES = new Set(['markdown', 'rst', 'asciidoc', 'text']);
const CODE_LANGUAGES = new Set([
  'typescript', 'tsx', 'javascript', 'jsx', 'python', 'go', 'java', 'kotlin', 'scala', 'ruby', 'rust', 'csharp', 'fsharp',
  'swift', 'php', 'c', 'cpp', 'objectivec', 'elixir', 'erlang', 'clojure', 'haskell', 'lua', 'perl', 'r', 'dart',
  'vue', 'svelte', 'shell', 'powershell', 'sql',
]);
const CONFIG_LANGUAGES = new Set(['yaml', 'json', 'toml', 'ini', 'properties', 'dotenv', 'xml', 'terraform', 'hcl', 'jsonnet', 'cue']);
const LOCKFILES = new Set([
  'package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'npm-shrinkwrap.json', 'go.sum', 'cargo.lock',
  'poetry.lock', 'pipfile.lock', 'gemfile.lock', 'composer.lock', 'uv.lock', 'mix.lock', 'packages.lock.json', '.terraform.lock.hcl',
]);

export function isDocumentation(language: string | null): boolean {
  return language !== null && DOC_LANGUAGES.has(language);
}

export function isCode(language: string | null): boolean {
  return language !== null && CODE_LANGUAGES.has(language);
}

export function isConfig(language: string | null): boolean {
  return language !== null && CONFIG_LANGUAGES.has(language);
}

/** Generated dependency locks: thousands of lines that say little about risk. */
export function isLockfile(path: string): boolean {
  return LOCKFILES.has(basenameOf(path).toLowerCase());
}

/** Test code by the conventions of the common ecosystems (JS, Go, Python, Ruby, Java, Rust). */
export function isTestPath(path: string): boolean {
  const p = path.toLowerCase();
  if (p.includes('__tests__/') || p.includes('/test/') || p.includes('/tests/') || p.includes('/spec/') || p.includes('/e2e/')) return true;
  if (p.startsWith('test/') || p.startsWith('tests/') || p.startsWith('spec/') || p.startsWith('e2e/')) return true;
  if (p.startsWith('t/') || p.includes('/t/')) return true; // Perl and git keep their tests in t/
  const base = basenameOf(p);
  return base.includes('.test.') || base.includes('.spec.') || base.endsWith('_test.go') || base.endsWith('_spec.rb')
    || base.startsWith('test_') || base.endsWith('_test.py') || base.endsWith('test.java') || base.endsWith('tests.rs');
}

/** Infrastructure definitions whose removal destroys what they declare on the next apply. */
export function isInfrastructureDefinition(path: string): boolean {
  const p = path.toLowerCase();
  return (p.endsWith('.tf') || p.endsWith('.hcl')) && !isLockfile(p);
}
