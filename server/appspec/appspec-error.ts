/**
 * An appspec that CodeDeploy would reject. Messages reproduce the CodeDeploy agent's wording where
 * it has one, because operators search for those sentences.
 */
export class AppSpecError extends Error {
  override name = "AppSpecError";
}

/** The agent's closing advice for each section, appended to the messages of that section. */
export const FIX_HOOKS = "Make corrections in the hooks section of the AppSpec file, and then try again.";
export const FIX_FILES = "Update the files section of the AppSpec file, and then try again.";
export const FIX_PERMISSIONS = "Update the permissions section of the AppSpec file, and then try again.";
