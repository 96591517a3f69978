/** Links between the pages: items by their key, users by their name, both percent-encoded. */

/** The similar-items page of an item. */
export const similarPageUrl = (itemKey: string): string => `/similar?item=${encodeURIComponent(itemKey)}`;

/** The recommendations page of a user. */
export const userPageUrl = (user: string): string => `/recommendations?user=${encodeURIComponent(user)}`;

/** The radio page playing from one seed ("Artist – Track" or "Artist"). */
export const radioPageUrl = (seed: string): string => `/radio?seed=${encodeURIComponent(seed)}`;
