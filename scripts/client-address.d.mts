export function trustedProxyHops(value?: string): number;
export function addressKey(address: string): string;
export function clientAddress(forwardedFor: string | undefined, socketAddress: string | undefined, hops: number): string;
