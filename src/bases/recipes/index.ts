import type { BaseName, BaseRecipe, DebianSuite } from "../recipe.js";
import { debianRecipe } from "./debian.js";
import { nodeRecipe } from "./node.js";
import { pythonRecipe } from "./python.js";
import { redisRecipe } from "./redis.js";

/**
 * The recipes for one Debian suite, in build order. Python, Node and Redis
 * are bookworm-based (Python 3.11 and Redis 7 are bookworm's packages), so a
 * trixie run makes only the Debian stand-in.
 */
export function recipesFor(suite: DebianSuite): BaseRecipe[] {
  if (suite !== "bookworm") return [debianRecipe(suite)];
  return [debianRecipe(suite), pythonRecipe, nodeRecipe, redisRecipe];
}

export function recipeNames(suite: DebianSuite): BaseName[] {
  return recipesFor(suite).map((r) => r.name);
}
