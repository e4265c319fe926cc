import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // DOM tests opt in per file with `// @vitest-environment jsdom`.
    environment: "node",
  },
});
