/**
 * People's names: everyone logged in may turn the usernames a page shows (who saved a draft, who
 * holds a task) into display names, for the users of their own office only. Nothing else about a
 * user is given this way; the user records themselves stay with the user policy.
 */
import type { Principal } from '../principal';
import type { Decision } from './roles';

export const peoplePolicy = {
  readNames: (_p: Principal): Decision => 'allow',
};
