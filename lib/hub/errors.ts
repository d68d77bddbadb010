// One error class for everything the hub can refuse, each message naming the id (and the
// revision and file where they matter) and what fixes it; `code` for callers that branch.
export type HubErrorCode =
  | 'REPO_NOT_FOUND'
  | 'GATED'
  | 'REVISION_NOT_FOUND'
  | 'ENTRY_NOT_FOUND'
  | 'OFFLINE_NOT_CACHED'
  | 'UNREACHABLE'
  | 'TIMEOUT'
  | 'BAD_RESPONSE';

export class HubError extends Error {
  override name = 'HubError';

  constructor(
    readonly code: HubErrorCode,
    message: string,
    readonly id: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The error for an HTTP answer that is not a success, as huggingface_hub's hf_raise_for_status reads X-Error-Code. */
export function errorForStatus(status: number, headers: Headers, at: { id: string; revision: string; file: string; endpoint: string; hadToken: boolean }): HubError {
  const code = headers.get('x-error-code');
  const serverMessage = headers.get('x-error-message');
  const where = `${at.id} (revision ${at.revision}) at ${at.endpoint}`;
  const tokenAdvice = at.hadToken
    ? 'the token sent (HF_TOKEN or the token file) has no access to it: check its permissions, or accept the repository\'s conditions on its page'
    : 'set HF_TOKEN (or log in with `hf auth login`, which writes HF_HOME/token) to a token with access';
  if (code === 'RevisionNotFound') return new HubError('REVISION_NOT_FOUND', `revision ${at.revision} not found in ${at.id} at ${at.endpoint}: check the branch, tag or commit`, at.id);
  if (code === 'EntryNotFound') return new HubError('ENTRY_NOT_FOUND', `${at.file} not found in ${where}`, at.id);
  if (code === 'GatedRepo') return new HubError('GATED', `${at.id} is a gated repository (${status}): ${tokenAdvice}`, at.id);
  if (code === 'RepoNotFound' || status === 401) {
    return new HubError('REPO_NOT_FOUND', `repository ${at.id} not found at ${at.endpoint} (${status}): check the id; if it is private or gated, ${tokenAdvice}`, at.id);
  }
  if (status === 403) return new HubError('GATED', `access to ${at.id} is forbidden (403${serverMessage ? `: ${serverMessage}` : ''}): ${tokenAdvice}`, at.id);
  if (status === 404) return new HubError('ENTRY_NOT_FOUND', `${at.file} not found in ${where}`, at.id);
  return new HubError('BAD_RESPONSE', `${at.endpoint} answered ${status}${serverMessage ? ` (${serverMessage})` : ''} for ${at.file} of ${at.id}`, at.id);
}
