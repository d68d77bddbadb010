// The package root (where package.json, build/ and scripts/ lie), for code that must not load
// the addon: dist/lib/package-root.js lies two folders below it.
import { fileURLToPath } from 'node:url';

export const packageRoot = fileURLToPath(new URL('../../', import.meta.url));
