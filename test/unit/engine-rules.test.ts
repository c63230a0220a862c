import { describe, expect, it } from "vitest";
import { finalVerdict, shouldContinue } from "../../server/engine/verdict";
import { matchesFilters, tagFilterProblem } from "../../server/engine/tag-filters";

describe("OneAtATime verdict", () => {
  it("goes on while every host so far succeeded", () => {
    expect(shouldContinue(["Succeeded"], 3)).toBe(true);
    expect(shouldContinue(["Succeeded", "Failed"], 3)).toBe(false);
    expect(shouldContinue(["Succeeded", "Succeeded", "Succeeded"], 3)).toBe(false);
  });
  it("fails when a host other than the last fails", () => {
    expect(finalVerdict(["Succeeded", "Failed"], 3)).toBe("Failed");
    expect(finalVerdict(["Failed"], 3)).toBe("Failed");
  });
  it("succeeds when only the last host fails, as CodeDeploy's OneAtATime does", () => {
    expect(finalVerdict(["Succeeded", "Succeeded", "Failed"], 3)).toBe("Succeeded");
  });
  it("needs at least one success", () => {
    expect(finalVerdict(["Failed"], 1)).toBe("Failed");
    expect(finalVerdict(["Succeeded"], 1)).toBe("Succeeded");
  });
  it("reports a stop", () => {
    expect(finalVerdict(["Succeeded", "Stopped"], 3)).toBe("Stopped");
  });
});

describe("on-premises tag filters", () => {
  const tags = [{ Key: "Name", Value: "web" }, { Key: "env", Value: "prod" }];
  it("matches KEY_ONLY, VALUE_ONLY and KEY_AND_VALUE", () => {
    expect(matchesFilters(tags, [{ Key: "env", Type: "KEY_ONLY" }])).toBe(true);
    expect(matchesFilters(tags, [{ Value: "prod", Type: "VALUE_ONLY" }])).toBe(true);
    expect(matchesFilters(tags, [{ Key: "Name", Value: "web", Type: "KEY_AND_VALUE" }])).toBe(true);
    expect(matchesFilters(tags, [{ Key: "Name", Value: "prod", Type: "KEY_AND_VALUE" }])).toBe(false);
  });
  it("treats a flat list as OR and an empty list as no host", () => {
    expect(matchesFilters(tags, [{ Key: "x", Type: "KEY_ONLY" }, { Value: "web", Type: "VALUE_ONLY" }])).toBe(true);
    expect(matchesFilters(tags, [])).toBe(false);
  });
  it("names what a filter lacks", () => {
    expect(tagFilterProblem({ Type: "KEY_AND_VALUE", Key: "Name" })).toBe("A KEY_AND_VALUE tag filter needs a Value.");
    expect(tagFilterProblem({ Type: "KEY_ONLY" })).toBe("A KEY_ONLY tag filter needs a Key.");
  });
});
