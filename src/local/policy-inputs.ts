/**
 * Gathering a local directory into the same `PolicyInputs` the app gathers from GitHub, so `shipshape
 * check` and the check run decide with one function. Offline: ref facts are unknown, `_extends` is skipped.
 */
import { extendsKey, extendsToFetch } from '../config/resolve.js';
import type { FileContent, FileSnapshot } from '../core/files.js';
import { configTexts, type PolicyInputs } from '../policy/decide.js';
import { isBaseFile } from '../policy/needs.js';
import { pathsToRead } from '../policy/parsed.js';
import type { ChangeContext } from '../policy/types.js';

const OFFLINE = 'offline: whether refs are tags or branches, tag existence and release lag need GitHub and were not checked';

export function gatherLocalInputs(args: {
  snapshot: FileSnapshot;
  config?: { file: string; content: FileContent };
  change?: ChangeContext;
}): { inputs: PolicyInputs; notes: string[] } {
  const { snapshot } = args;
  const notes: string[] = [];
  const inputs: PolicyInputs = {
    owner: '',
    config: { file: args.config?.file, repo: args.config?.content, extended: {} },
    tree: { paths: snapshot.paths, truncated: false },
    files: readAll(snapshot, pathsToRead(snapshot.paths)),
    facts: { kinds: {}, tags: {}, offlineReason: OFFLINE },
  };
  // `_extends` needs GitHub: each level is read as empty, so the local file and the defaults apply.
  for (let level = 0; level < 5; level++) {
    const missing = extendsToFetch(configTexts(inputs));
    if (!missing.length) break;
    for (const t of missing) {
      notes.push(
        `\`_extends: ${t.owner ? `${t.owner}/` : ''}${t.repo}\` needs GitHub and was skipped; the local file and the defaults apply`,
      );
      inputs.config.extended![extendsKey(t)] = { kind: 'text', text: '' };
    }
  }
  if (args.change)
    inputs.change = {
      changedPaths: args.change.changedPaths,
      baseFiles: readAll(args.change.base, args.change.base.paths.filter(isBaseFile)),
    };
  return { inputs, notes };
}

function readAll(snapshot: FileSnapshot, paths: readonly string[]): Record<string, FileContent> {
  const out: Record<string, FileContent> = {};
  for (const p of paths) {
    const content = snapshot.content(p);
    if (content) out[p] = content;
  }
  return out;
}
