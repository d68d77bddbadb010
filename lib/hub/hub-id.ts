// What counts as a hub id: huggingface_hub's validate_repo_id (`name` or `namespace/name` of
// letters, digits, '-', '_', '.', at most 96 characters, no '--' or '..', not starting or
// ending with '-' or '.'). Anything else (a path with more parts, './x', '/x') is a folder.
const PART = /^[A-Za-z0-9_.-]+$/;

/** The id if `text` can only be a hub id, else null. */
export function parseHubId(text: string): string | null {
  if (text.length === 0 || text.length > 96) return null;
  const parts = text.split('/');
  if (parts.length > 2) return null;
  for (const part of parts) {
    if (!PART.test(part) || part.includes('--') || part.includes('..')) return null;
    if (/^[-.]|[-.]$/.test(part)) return null;
  }
  return text;
}

/** The cache folder name huggingface_hub gives a model repository: models--org--name. */
export function repoFolderName(id: string): string {
  return ['models', ...id.split('/')].join('--');
}
