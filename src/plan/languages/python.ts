/** Python: requirements/pyproject/Pipfile projects, a per-run wheelhouse for their builds. */
import { detectPython, isPythonProject } from "../detect/python.js";
import type { PythonProject } from "../project.js";
import { withProjectIndex } from "../run-index.js";
import { pythonPlan } from "../templates/python.js";
import type { Language } from "./language.js";

export const python: Language<PythonProject> = {
  kind: "python",
  name: "Python",
  dependencyFolder: "the venv (/opt/venv)",
  manifests: ["requirements.txt", "pyproject.toml", "Pipfile", "setup.py", "a top-level .py file"],
  keepAlive: ["python", "-c", "import time; time.sleep(3600)"],
  isProject: isPythonProject,
  detect: detectPython,
  plan: pythonPlan,
  writable: (p) => p.writable ?? [],
  withBuildInputs: withProjectIndex,
};
