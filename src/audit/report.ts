/** How an audit reads: the issue body, log lines and the CLI's text. Pure. */
import type { AuditResult } from './audit.js';

export const AUDIT_ISSUE_TITLE = 'Shipshape: repository settings out of policy';
export const AUDIT_LABEL = 'shipshape-settings';
export const AUDIT_MARKER = '<!-- shipshape:settings-audit -->';

const icon = (severity: string) => (severity === 'error' ? '❌' : '⚠️');

export function renderIssueBody(repo: string, result: AuditResult, changes: string[] = []): string {
  const lines = [
    AUDIT_MARKER,
    `Shipshape compared the settings of \`${repo}\` with the production checklist (\`audit:\` in \`.github/shipshape.yml\`).`,
    '',
  ];
  if (result.findings.length) {
    lines.push(`## ${result.findings.length} setting(s) out of policy`, '');
    for (const f of result.findings) {
      lines.push(
        `### ${icon(f.severity)} \`${f.check}\` (${f.severity})`,
        '',
        f.message,
        '',
        `- **Setting:** ${f.setting}`,
        `- **Fix:** ${f.fix}`,
        `- **Settings page:** ${f.url}`,
        '',
      );
    }
  } else {
    lines.push('Every audited setting is in policy.', '');
  }
  if (changes.length) lines.push('## Changed by Shipshape (`audit.action: fix`)', '', ...changes.map((c) => `- ${c}`), '');
  if (result.cannotAudit.length) lines.push('## Not audited', '', ...result.cannotAudit.map((c) => `- \`${c.check}\`: ${c.reason}`), '');
  if (result.passed.length) lines.push(`In policy: ${result.passed.map((p) => `\`${p}\``).join(', ')}.`, '');
  lines.push('_Shipshape keeps this issue current after every audit and closes it when every setting is in policy._');
  return lines.join('\n');
}

/** The CLI's text: one block per finding, then a summary line (like `shipshape check`). */
export function renderText(repo: string, result: AuditResult): string[] {
  const out: string[] = [];
  for (const f of result.findings)
    out.push(`${repo}  ${f.severity}  ${f.message}  (${f.check})\n    setting: ${f.setting}\n    fix: ${f.fix}\n    page: ${f.url}`);
  for (const c of result.cannotAudit) out.push(`${repo}  note  ${c.check}: ${c.reason}`);
  const errors = result.findings.filter((f) => f.severity === 'error').length;
  out.push(
    `${result.findings.length ? '' : 'No findings. '}${errors} error(s), ${result.findings.length - errors} warning(s); ${result.passed.length} check(s) in policy, ${result.cannotAudit.length} not audited`,
  );
  return out;
}

export const hasErrors = (result: AuditResult): boolean => result.findings.some((f) => f.severity === 'error');
