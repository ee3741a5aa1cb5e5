/** Types of scripts/fetch-crds.mjs (for the tests that import its helpers). */
export declare const WANTED: Record<string, string>;
export declare function upstreamUrls(cdk8sYamlText: string): string[];
export declare function pickCrds(text: string, source: string): Record<string, string>;
