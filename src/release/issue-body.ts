/**
 * One renderer and one parser of the release issue body. The state sits in a hidden marker; the
 * checklist and status sections are the app's, everything else (purpose, notes) is left as people edit it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { checklistFor, STATE_VERSION, type ReleaseState } from './state.js';

const MARKER = /<!-- shipshape:release (\{.*?\}) -->/s;
const CHECKLIST_START = '<!-- shipshape:checklist -->';
const CHECKLIST_END = '<!-- /shipshape:checklist -->';
const STATUS_START = '<!-- shipshape:status -->';
const STATUS_END = '<!-- /shipshape:status -->';

export interface ReleaseNote {
  number: number;
  title: string;
  author?: string;
  kind: 'issue' | 'pull request';
  labels: string[];
}

export interface IssueContent {
  purpose?: string;
  notes: ReleaseNote[];
  previousTag?: string;
  links: { checklist: string; report: string };
  environments: string[];
  doi: boolean;
  extraChecklist: string[];
  /** Things people should know about how the issue was opened (e.g. owners who could not be assigned). */
  notices?: string[];
}

export const issueTitle = (state: Pick<ReleaseState, 'version' | 'tool'>) => `Release version ${state.version} of ${state.tool}`;

/**
 * Where a state belongs and the keys that sign it (newest first; the first signs, any verifies): the
 * signature covers the repository and issue number too, so a marker copied elsewhere does not verify.
 */
export interface Seal {
  keys: string | readonly string[];
  repo: string;
  issue: number;
}

/** The whole body; with a seal, the state marker too (a new issue gets its marker once its number is known). */
export function renderIssueBody(state: ReleaseState, content: IssueContent, seal?: Seal): string {
  const notes = renderNotes(content.notes, content.previousTag);
  const links = [
    content.links.checklist && `- Release checklist: ${content.links.checklist}`,
    content.links.report && `- Release report: ${content.links.report}`,
  ].filter(Boolean);
  const body = [
    ...(seal ? [marker(state, seal)] : []),
    // The tag's message is the tagger's prose, kept as Markdown, but it may not open an HTML comment that could pass for a marker.
    `## Purpose\n\n${content.purpose?.trim().replace(/<!--/g, '&lt;!--') || '_The tag has no annotation message; describe the purpose of this release here._'}`,
    `## Release notes\n\n${notes}`,
    ...(links.length ? [`## Links\n\n${links.join('\n')}`] : []),
    `## Checklist\n\n${CHECKLIST_START}\n${renderChecklist(state, content, new Set())}\n${CHECKLIST_END}`,
    `## Status\n\n${STATUS_START}\n${renderStatus(state, content.environments)}\n${STATUS_END}`,
    ...(content.notices?.length ? [content.notices.map((n) => `> **Note:** ${n}`).join('\n>\n')] : []),
    `---\nShipshape runs this release. Comment \`/help\` for the commands.${state.prerelease ? ' This is a **pre-release**.' : ''}`,
  ];
  return body.join('\n\n');
}

/**
 * The state in a body: `undefined` when there is no marker (not a release issue), `tampered` when the
 * marker was edited by hand or comes from another issue or repository — its signature no longer matches,
 * so nobody can forge an approval by editing the issue. (Whether it is the newest state is the store's
 * question: see the revision.)
 */
export function parseState(body: string | null | undefined, seal: Seal): ReleaseState | 'tampered' | undefined {
  const m = MARKER.exec(body ?? '');
  if (!m) return undefined;
  try {
    const { sig, ...state } = JSON.parse(m[1]!) as ReleaseState & { sig?: string };
    if (typeof state.version !== 'string' || state.v !== STATE_VERSION || typeof state.rev !== 'number') return 'tampered';
    // Any of the keys (newest first) may have signed it, so rotating the key orphans no open release.
    const signedBy = (key: string) => {
      const expected = Buffer.from(sign(state, key, seal));
      return !!sig && Buffer.byteLength(sig) === expected.length && timingSafeEqual(Buffer.from(sig), expected);
    };
    if (!keysOf(seal).some(signedBy)) return 'tampered';
    return state;
  } catch {
    return 'tampered';
  }
}

const keysOf = (seal: Seal): readonly string[] => (typeof seal.keys === 'string' ? [seal.keys] : seal.keys);

/**
 * The state's own signing key, derived from the configured secret: never the secret itself, so a marker's
 * signature is never a valid webhook signature even when the secret is the webhook secret.
 */
const stateKey = (secret: string) => createHmac('sha256', secret).update('shipshape/release-state/v2').digest();

const sign = (state: ReleaseState, secret: string, seal: Seal) =>
  createHmac('sha256', stateKey(secret))
    .update(JSON.stringify({ repo: seal.repo.toLowerCase(), issue: seal.issue, state }))
    .digest('hex');

/** The release notes section as people left it (for the GitHub release's body). */
export function releaseNotesOf(body: string | null | undefined): string {
  return /## Release notes\n([\s\S]*?)(?=\n## |$)/.exec(body ?? '')?.[1]?.trim() ?? '';
}

/** Ids of the checklist items ticked in the body (by people or by the app). */
export function tickedItems(body: string): Set<string> {
  const ticked = new Set<string>();
  for (const m of body.matchAll(/^- \[[xX]\] .*?<!-- item:([\w-]+) -->$/gm)) ticked.add(m[1]!);
  return ticked;
}

/** The body with a new state: marker, checklist and status replaced; people's edits elsewhere kept. */
export function refreshIssueBody(
  body: string,
  state: ReleaseState,
  content: Pick<IssueContent, 'environments' | 'doi' | 'extraChecklist'>,
  seal: Seal,
): string {
  const manual = tickedItems(body);
  // A function replacement: `$&` and friends in the JSON must not be read as patterns.
  let out = MARKER.test(body) ? body.replace(MARKER, () => marker(state, seal)) : `${marker(state, seal)}\n\n${body}`;
  out = replaceBetween(out, CHECKLIST_START, CHECKLIST_END, renderChecklist(state, content, manual));
  out = replaceBetween(out, STATUS_START, STATUS_END, renderStatus(state, content.environments));
  return out;
}

function marker(state: ReleaseState, seal: Seal): string {
  const json = JSON.stringify({ ...state, sig: sign(state, keysOf(seal)[0]!, seal) });
  // `-->` would end the HTML comment early; in JSON it can only occur inside strings, where \u003e reads back the same.
  return `<!-- shipshape:release ${json.replace(/-->/g, '--\\u003e')} -->`;
}

function renderChecklist(
  state: ReleaseState,
  content: Pick<IssueContent, 'environments' | 'doi' | 'extraChecklist'>,
  manual: Set<string>,
): string {
  return checklistFor(content.environments, { doi: content.doi, extra: content.extraChecklist })
    .map((item) => {
      const ticked = item.auto ? item.auto(state) : manual.has(item.id);
      return `- [${ticked ? 'x' : ' '}] ${item.text} <!-- item:${item.id} -->`;
    })
    .join('\n');
}

function renderStatus(state: ReleaseState, environments: string[]): string {
  const approval = state.approval
    ? `approved by @${state.approval.by} (${state.approval.at})`
    : state.rejection
      ? `rejected by @${state.rejection.by}: ${state.rejection.reason}`
      : 'waiting for the service owner';
  const rows = environments.map((env) => {
    const d = state.deployments[env];
    if (!d) return `| ${env} | not deployed | |`;
    const what = d.tag === state.tag ? d.tag : `${d.tag} (rollback)`;
    return `| ${env} | ${what}: ${d.state}${d.url ? ` ([details](${d.url}))` : ''} by @${d.by} | ${d.verified ? `verified by @${d.verified.by}` : ''} |`;
  });
  const published = state.published ? `\n\nPublished ${state.published.at}${state.published.url ? `: ${state.published.url}` : ''}.` : '';
  return (
    [
      `Tag \`${state.tag}\` (commit ${state.sha.slice(0, 7)}). Approval: ${approval}.`,
      '',
      '| Environment | Deployment | Verification |',
      '|---|---|---|',
      ...rows,
    ].join('\n') + published
  );
}

function renderNotes(notes: ReleaseNote[], previousTag?: string): string {
  const since = previousTag ? `Merged or closed since \`${previousTag}\`:` : 'Merged or closed so far (first release):';
  if (notes.length === 0) return `${since} nothing recorded.`;
  const groups = new Map<string, ReleaseNote[]>();
  for (const n of notes) {
    const group = n.labels.find((l) => l !== 'release') ?? (n.kind === 'pull request' ? 'Pull requests' : 'Issues');
    groups.set(group, [...(groups.get(group) ?? []), n]);
  }
  const sections = [...groups.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([group, items]) =>
        `### ${inertText(group)}\n\n${items.map((n) => `- #${n.number} ${inertText(n.title)}${n.author ? ` (@${n.author})` : ''}`).join('\n')}`,
    );
  return `${since}\n\n${sections.join('\n\n')}`;
}

/**
 * Text from others (issue and pull-request titles) made inert: no HTML (so no comment that could pass for
 * one of Shipshape's markers), no mentions or references, no Markdown markup; control characters become spaces.
 */
export function inertText(text: string): string {
  return text
    .replace(/\p{Cc}/gu, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/([\\`*_{}[\]()#+!|~@])/g, '\\$1');
}

function replaceBetween(text: string, start: string, end: string, inner: string): string {
  const a = text.indexOf(start);
  const b = text.indexOf(end, a);
  if (a < 0 || b < a) return `${text}\n\n${start}\n${inner}\n${end}`;
  return `${text.slice(0, a + start.length)}\n${inner}\n${text.slice(b)}`;
}
