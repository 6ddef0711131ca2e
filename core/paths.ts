// Where the project's own files live, whether running from dist/ (compiled) or elsewhere.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository root: this file is compiled to dist/core/paths.js. */
export const projectRoot = path.resolve(here, '..', '..');

export const viewsDir = path.join(projectRoot, 'views');
