/** Options several commands share, spelled once so their help text and checks agree. */
export const APPLICATION_NAME = { type: "string", required: true, description: "Application name." } as const;
export const DEPLOYMENT_GROUP_NAME = { type: "string", required: true, description: "Deployment group name." } as const;
export const DEPLOYMENT_ID = { type: "string", required: true, placeholder: "d-XXXXXXXXX", description: "Deployment id." } as const;
export const FILE_EXISTS_BEHAVIORS = ["DISALLOW", "OVERWRITE", "RETAIN"] as const;
