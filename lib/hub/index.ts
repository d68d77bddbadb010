// Hub ids: huggingface_hub's resolve protocol and cache, shared with Python.
export { resolveModelDir, cachedModelDirSync, TOKENIZER_FILES, type ResolveModelOptions, type SnapshotFiles } from './snapshot.js';
export { resolveFile, type ResolvedFile } from './resolve-file.js';
export { hubContext, type HubOptions, type DownloadProgress } from './hub-context.js';
export { HubError, type HubErrorCode } from './errors.js';
export { parseHubId, repoFolderName } from './hub-id.js';
export { RepoCache } from './cache-paths.js';
export { hubCacheDir, hfHome, hubEndpoint, hubOffline, hubToken, etagTimeout, downloadTimeout } from './hub-env.js';
