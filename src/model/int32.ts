/** Largest int32: every integer field of the Rollout CRD and the Kubernetes API is an int32. */
export const INT32_MAX = 2_147_483_647;
