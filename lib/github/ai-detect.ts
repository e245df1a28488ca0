// Detects AI involvement in a pull request from what GitHub shows — labels, commit trailers,
// the author account and the PR template's checkbox — and keeps the evidence for each finding.
// Pure: the settings are passed in, nothing is read here.
import type { AiEvidence } from '@/db/schema';
import type { AiLevel } from '@/db/schema/enums';

export interface AiDetectionSettings {
  /** PR label (case-insensitive) → the AI level it declares. */
  labels: Record<string, Exclude<AiLevel, 'none'>>;
  /** GitHub logins of coding agents (case-insensitive) → tool name. */
  agentBots: Record<string, string>;
}

export const DEFAULT_AI_DETECTION: AiDetectionSettings = {
  labels: { 'ai-assisted': 'assisted', 'ai-generated': 'generated', 'ai-agent': 'agent' },
  agentBots: {
    'copilot-swe-agent[bot]': 'GitHub Copilot coding agent',
    copilot: 'GitHub Copilot coding agent',
    'devin-ai-integration[bot]': 'Devin',
    'devin-ai[bot]': 'Devin',
    'kiro-agent[bot]': 'Kiro',
    'google-labs-jules[bot]': 'Jules',
    'chatgpt-codex-connector[bot]': 'OpenAI Codex',
    'codex[bot]': 'OpenAI Codex',
    'claude[bot]': 'Claude Code',
    'cursor[bot]': 'Cursor background agent',
    'amazon-q-developer[bot]': 'Amazon Q Developer',
    'openhands-agent': 'OpenHands',
    'sweep-ai[bot]': 'Sweep',
    'codegen-sh[bot]': 'Codegen',
  },
};

/** Names and addresses that identify an AI assistant in a Co-authored-by trailer. */
const ASSISTANT_PATTERNS: [RegExp, string][] = [
  [/\bcopilot\b/i, 'GitHub Copilot'],
  [/\bclaude\b|@anthropic\.com/i, 'Claude'],
  [/\bcursor\b|@cursor\.(com|sh)/i, 'Cursor'],
  [/\bdevin\b/i, 'Devin'],
  [/\baider\b/i, 'Aider'],
  [/\bcodex\b|\bchatgpt\b|@openai\.com/i, 'OpenAI Codex'],
  [/\bgemini\b|\bjules\b/i, 'Gemini'],
  [/\bkiro\b/i, 'Kiro'],
  [/\bamazon q\b|\bcodewhisperer\b/i, 'Amazon Q'],
  [/\bwindsurf\b|\bcodeium\b/i, 'Windsurf'],
  [/\bopenhands\b/i, 'OpenHands'],
  [/\bcody\b.*sourcegraph|sourcegraph.*\bcody\b/i, 'Sourcegraph Cody'],
  [/\btabnine\b/i, 'Tabnine'],
];

const LEVEL_RANK: Record<AiLevel, number> = { none: 0, assisted: 1, generated: 2, agent: 3 };

export function maxAiLevel(a: AiLevel, b: AiLevel): AiLevel {
  return LEVEL_RANK[a] >= LEVEL_RANK[b] ? a : b;
}

export interface PullRequestFacts {
  author: { login: string; type?: string | null };
  labels: string[];
  body: string | null;
  /** Full commit messages (with trailers). */
  commitMessages: string[];
  /** Logins of commit authors other than the PR author, when GitHub knows them. */
  commitAuthors?: string[];
}

export interface AiDetection {
  level: AiLevel;
  tool: string | null;
  evidence: AiEvidence[];
}

function assistantIn(text: string): string | null {
  for (const [re, tool] of ASSISTANT_PATTERNS) if (re.test(text)) return tool;
  return null;
}

/** `Key: value` trailer lines of a commit message (git's rule: the last paragraph). */
export function trailersOf(message: string): { key: string; value: string }[] {
  const paragraphs = message.replace(/\r\n/g, '\n').trim().split(/\n\s*\n/);
  const last = paragraphs.at(-1) ?? '';
  const out: { key: string; value: string }[] = [];
  for (const line of last.split('\n')) {
    const m = /^([A-Za-z][A-Za-z0-9-]*):\s*(.+)$/.exec(line.trim());
    if (m) out.push({ key: m[1]!.toLowerCase(), value: m[2]!.trim() });
  }
  return out;
}

/** Ticked checkboxes of a PR template that say AI wrote or helped write it. */
const CHECKBOX = /^\s*[-*]\s*\[[xX]\]\s*(.+)$/gm;

function checkboxLevel(text: string): Exclude<AiLevel, 'none'> | null {
  const t = text.toLowerCase();
  if (!/\b(ai|llm|copilot|claude|cursor|agent|chatgpt|gpt|gemini|codex|devin|kiro)\b/.test(t)) return null;
  if (/\b(no|not|without)\b/.test(t)) return null;
  if (/\bagent\b|\bautonomous/.test(t)) return 'agent';
  if (/\bgenerated\b|\bwritten (by|with)\b|\bwrote\b/.test(t)) return /\bassist/.test(t) ? 'assisted' : 'generated';
  return 'assisted';
}

export function detectAi(pr: PullRequestFacts, settings: AiDetectionSettings = DEFAULT_AI_DETECTION): AiDetection {
  const evidence: AiEvidence[] = [];
  const found: { level: AiLevel; tool: string | null }[] = [];
  const note = (lvl: AiLevel, e: AiEvidence, t: string | null = null) => {
    if (!evidence.some((x) => x.source === e.source && x.detail === e.detail)) evidence.push(e);
    found.push({ level: lvl, tool: t });
  };

  const labelMap = new Map(Object.entries(settings.labels).map(([k, v]) => [k.toLowerCase(), v]));
  for (const label of pr.labels) {
    const lvl = labelMap.get(label.toLowerCase());
    if (lvl) note(lvl, { source: 'label', detail: `Label "${label}" declares ${lvl === 'assisted' ? 'AI assistance' : lvl === 'generated' ? 'AI-generated code' : 'an AI agent'}.` });
  }

  const bots = new Map(Object.entries(settings.agentBots).map(([k, v]) => [k.toLowerCase(), v]));
  const login = pr.author.login;
  const botTool = bots.get(login.toLowerCase());
  if (botTool) note('agent', { source: 'bot_author', detail: `Opened by ${login}, a coding agent (${botTool}).` }, botTool);
  for (const other of pr.commitAuthors ?? []) {
    const t = bots.get(other.toLowerCase());
    if (t && other.toLowerCase() !== login.toLowerCase()) note('agent', { source: 'bot_author', detail: `Commits authored by ${other}, a coding agent (${t}).` }, t);
  }

  for (const message of pr.commitMessages) {
    const subject = message.split('\n', 1)[0]!.slice(0, 80);
    for (const { key, value } of trailersOf(message)) {
      if (key === 'co-authored-by') {
        const t = assistantIn(value);
        if (t) note('generated', { source: 'trailer', detail: `Commit "${subject}" is co-authored by ${value}.` }, t);
      } else if (key === 'assisted-by') {
        note('assisted', { source: 'trailer', detail: `Commit "${subject}": Assisted-by: ${value}.` }, assistantIn(value) ?? value.replace(/\s*<.*>$/, ''));
      } else if (key === 'generated-by') {
        note('generated', { source: 'trailer', detail: `Commit "${subject}": Generated-by: ${value}.` }, assistantIn(value) ?? value.replace(/\s*<.*>$/, ''));
      }
    }
    // Claude Code and others also sign the message body.
    const signed = /generated with \[?([A-Za-z][\w .-]{1,40}?)\]?(?:\(|\s*$)/im.exec(message);
    if (signed && assistantIn(signed[1]!)) note('generated', { source: 'trailer', detail: `Commit "${subject}" says it was generated with ${signed[1]!.trim()}.` }, assistantIn(signed[1]!));
  }

  if (pr.body) {
    for (const m of pr.body.replace(/\r\n/g, '\n').matchAll(CHECKBOX)) {
      const text = m[1]!.trim();
      const lvl = checkboxLevel(text);
      if (lvl) note(lvl, { source: 'template_checkbox', detail: `PR template box ticked: "${text.slice(0, 120)}".` }, assistantIn(text));
    }
  }
  const level = found.reduce<AiLevel>((a, f) => maxAiLevel(a, f.level), 'none');
  // The tool of the strongest finding that names one.
  const tool = found.find((f) => f.level === level && f.tool)?.tool ?? found.find((f) => f.tool)?.tool ?? null;
  return { level, tool, evidence };
}
