/**
 * Every migration, in order. Listed rather than globbed so that tsx, Jest and the compiled build
 * load the same set; a unit test checks that every file in this folder appears here.
 */
import { Foundation1700000000000 } from './1700000000000-Foundation';

export const migrations = [Foundation1700000000000];
