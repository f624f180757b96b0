/**
 * Folders of the installation, found from the project root (the folder with package.json) so that the
 * same code works run from src/ with tsx and compiled into dist/.
 */
import fs from 'node:fs';
import path from 'node:path';

function findRoot(start: string): string {
  let dir = start;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);
export const WORKFLOWS_DIR = path.join(PROJECT_ROOT, 'workflows');
export const FORMS_DIR = path.join(PROJECT_ROOT, 'forms');
export const DECISIONS_DIR = path.join(PROJECT_ROOT, 'decisions');
export const TEMPLATES_DIR = path.join(PROJECT_ROOT, 'templates');
export const WEB_DIST_DIR = path.join(PROJECT_ROOT, 'dist/web');
