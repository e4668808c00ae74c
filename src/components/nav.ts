/** The header navigation entries a page can mark as current. */
export type NavItem = 'home' | 'epochs' | 'models' | 'search';
