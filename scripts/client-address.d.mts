export function trustedProxyHops(value?: string): number;
export function clientAddress(forwardedFor: string | string[] | undefined, socketAddress: string | undefined, hops: number): string;
