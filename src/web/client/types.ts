/** The API answers the pages read: declared once, for the server and the browser, in src/contracts. */
export type * from '../../contracts/api';
