/** The one registry of lint rules, in id order. docs/rules.md is generated from it. */
import type { Rule } from "../rule.js";
import ss101 from "./ss101-apt-no-install-recommends.js";
import ss102 from "./ss102-apt-lists-not-removed.js";
import ss103 from "./ss103-package-upgrade.js";
import ss104 from "./ss104-apk-no-cache.js";
import ss105 from "./ss105-pip-no-cache-dir.js";
import ss106 from "./ss106-js-package-cache.js";
import ss107 from "./ss107-build-toolchain-in-final.js";
import ss108 from "./ss108-dev-dependencies-in-final.js";
import ss109 from "./ss109-copy-duplicates-base.js";
import ss110 from "./ss110-deleted-in-later-layer.js";
import ss111 from "./ss111-single-stage-build-tools.js";
import ss112 from "./ss112-full-base-image.js";
import ss113 from "./ss113-add-instead-of-copy.js";
import ss114 from "./ss114-add-remote.js";
import ss115 from "./ss115-chown-in-later-layer.js";
import ss116 from "./ss116-dockerignore.js";
import ss117 from "./ss117-dnf-cache.js";
import ss118 from "./ss118-yum-cache.js";
import ss119 from "./ss119-useradd-lastlog.js";
import ss120 from "./ss120-zypper-cache.js";
import ss121 from "./ss121-copy-image-root.js";
import ss122 from "./ss122-wheels-left-in-final.js";
import ss201 from "./ss201-copy-context-before-install.js";
import ss202 from "./ss202-manifest-not-copied-first.js";
import ss203 from "./ss203-apt-update-alone.js";
import ss301 from "./ss301-final-user-root.js";
import ss302 from "./ss302-no-user.js";
import ss303 from "./ss303-secret-in-env-arg.js";
import ss304 from "./ss304-copy-secret-files.js";
import ss305 from "./ss305-latest-tag.js";
import ss306 from "./ss306-missing-tag.js";
import ss307 from "./ss307-base-not-pinned.js";
import ss308 from "./ss308-curl-pipe-shell.js";
import ss309 from "./ss309-sudo.js";
import ss310 from "./ss310-world-writable.js";
import ss311 from "./ss311-ssh-port.js";
import ss312 from "./ss312-untrusted-registry.js";
import ss313 from "./ss313-copy-key-folder.js";
import ss314 from "./ss314-credentials-in-run.js";
import ss320 from "./ss320-copy-from-image-unpinned.js";
import ss401 from "./ss401-eol-base.js";
import ss402 from "./ss402-eol-soon.js";
import ss403 from "./ss403-copy-from-missing-path.js";
import ss404 from "./ss404-copy-from-unknown-stage.js";
import ss405 from "./ss405-copy-from-self.js";
import ss406 from "./ss406-duplicate-stage-name.js";
import ss407 from "./ss407-relative-workdir.js";
import ss408 from "./ss408-pipefail.js";
import ss409 from "./ss409-apt-get-yes.js";
import ss410 from "./ss410-copy-dest-slash.js";
import ss411 from "./ss411-multiple-cmd.js";
import ss412 from "./ss412-multiple-entrypoint.js";
import ss413 from "./ss413-invalid-port.js";
import ss414 from "./ss414-use-apt-get.js";
import ss415 from "./ss415-multiple-healthcheck.js";
import ss416 from "./ss416-instruction-before-from.js";
import ss417 from "./ss417-copy-relative-dest.js";
import ss418 from "./ss418-constant-platform.js";
import ss419 from "./ss419-dnf-yes.js";
import ss420 from "./ss420-zypper-yes.js";
import ss421 from "./ss421-env-self-reference.js";
import ss422 from "./ss422-build-needs-dev-dependencies.js";
import ss423 from "./ss423-node-modules-libc-mismatch.js";
import ss424 from "./ss424-process-manager-parent.js";
import ss425 from "./ss425-dev-server-final.js";
import ss426 from "./ss426-buildplatform-runtime.js";
import ss427 from "./ss427-runtime-version-mismatch.js";
import ss428 from "./ss428-run-export.js";
import ss429 from "./ss429-exec-form-quotes.js";
import ss432 from "./ss432-reserved-stage-name.js";
import ss433 from "./ss433-undefined-arg-in-from.js";
import ss434 from "./ss434-copy-ignored-file.js";
import ss501 from "./ss501-exec-form.js";
import ss502 from "./ss502-cd-in-run.js";
import ss503 from "./ss503-unreachable-stage.js";
import ss504 from "./ss504-maintainer.js";
import ss505 from "./ss505-consecutive-run.js";
import ss506 from "./ss506-wget-and-curl.js";
import ss507 from "./ss507-shell-symlink.js";
import ss508 from "./ss508-legacy-env-format.js";
import ss509 from "./ss509-stage-keyword-case.js";
import ss510 from "./ss510-wget-progress.js";
import ss511 from "./ss511-label-key.js";
import ss512 from "./ss512-interactive-command.js";
import ss513 from "./ss513-stage-name-casing.js";
import ss514 from "./ss514-redundant-target-platform.js";
import ss515 from "./ss515-expose-proto-casing.js";
import ss516 from "./ss516-empty-continuation.js";
import ss517 from "./ss517-instruction-casing.js";

export const RULES: readonly Rule[] = [
  ss101,
  ss102,
  ss103,
  ss104,
  ss105,
  ss106,
  ss107,
  ss108,
  ss109,
  ss110,
  ss111,
  ss112,
  ss113,
  ss114,
  ss115,
  ss116,
  ss117,
  ss118,
  ss119,
  ss120,
  ss121,
  ss122,
  ss201,
  ss202,
  ss203,
  ss301,
  ss302,
  ss303,
  ss304,
  ss305,
  ss306,
  ss307,
  ss308,
  ss309,
  ss310,
  ss311,
  ss312,
  ss313,
  ss314,
  ss320,
  ss401,
  ss402,
  ss403,
  ss404,
  ss405,
  ss406,
  ss407,
  ss408,
  ss409,
  ss410,
  ss411,
  ss412,
  ss413,
  ss414,
  ss415,
  ss416,
  ss417,
  ss418,
  ss419,
  ss420,
  ss421,
  ss422,
  ss423,
  ss424,
  ss425,
  ss426,
  ss427,
  ss428,
  ss429,
  ss432,
  ss433,
  ss434,
  ss501,
  ss502,
  ss503,
  ss504,
  ss505,
  ss506,
  ss507,
  ss508,
  ss509,
  ss510,
  ss511,
  ss512,
  ss513,
  ss514,
  ss515,
  ss516,
  ss517,
];
