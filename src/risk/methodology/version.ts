/**
 * Version of the risk methodology. Every indicator result carries it in its evidence so that a
 * stored flag can always be traced to the rules and defaults that produced it; change the rules → bump it.
 */
export const METHODOLOGY_VERSION = 2;
