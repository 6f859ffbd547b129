export const SECURITY_HEADERS: Record<string, string>;
export const API_CSP: string;
export function contentSecurityPolicy(scriptHashes: string[]): string;
export function hashesOfInlineScripts(html: string): string[];
