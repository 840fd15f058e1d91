import { createContext, useContext } from 'react';

/**
 * The response's CSP nonce (server.js makes one per request), for the inline scripts Remix
 * renders. Only the server knows it: in the browser it is '' (browsers hide nonce attributes
 * from the page, so hydration sees '' too).
 */
export const NonceContext = createContext('');

export const useNonce = () => useContext(NonceContext);
