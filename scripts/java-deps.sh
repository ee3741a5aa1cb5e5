#!/usr/bin/env bash
# The Maven artifacts of the package's jsii dependencies (constructs, cdk8s, cdk8s-plus-28), at the
# versions installed in node_modules, in the local Maven repository (MAVEN_OPTS -Dmaven.repo.local, set
# by scripts/package.sh) before jsii-pacmak builds the jar. Each comes from Maven Central when served
# there; when it is not (cdk8s 2.70.106 and cdk8s-plus-28 were not, in December 2026), it is built from
# its npm package with jsii-pacmak, as its publisher builds it (the jar wraps the same npm tarball),
# and installed into the local repository, so warm runs reuse it. Says so for each one it builds.
# Usage: scripts/java-deps.sh   (run by scripts/package.sh java)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(node -p "(process.env.MAVEN_OPTS || '').match(/-Dmaven\.repo\.local=(\S+)/)?.[1] || ''")
if [ -z "$repo" ]; then
  echo "java-deps: MAVEN_OPTS has no -Dmaven.repo.local (run through scripts/package.sh)" >&2
  exit 2
fi

# "npm-name groupId artifactId version" per jsii dependency with a Java target.
deps=$(node -e '
  const { readFileSync } = require("node:fs");
  const assembly = JSON.parse(readFileSync(".jsii", "utf8"));
  for (const name of Object.keys(assembly.dependencies ?? {})) {
    const pkg = require(`${name}/package.json`);
    const maven = pkg.jsii?.targets?.java?.maven;
    if (maven) console.log(name, maven.groupId, maven.artifactId, pkg.version);
  }')

missing=()
while read -r name group artifact version; do
  jar="$repo/${group//.//}/$artifact/$version/$artifact-$version.jar"
  [ -f "$jar" ] && continue
  if mvn -B -q dependency:get -Dartifact="$group:$artifact:$version" -Dtransitive=false >/dev/null 2>&1; then
    echo "java-deps: $group:$artifact:$version from Maven Central"
  else
    echo "java-deps: $group:$artifact:$version is NOT served by Maven Central here: building it from node_modules/$name with jsii-pacmak"
    missing+=("$name")
  fi
done <<< "$deps"
[ ${#missing[@]} -eq 0 ] && exit 0

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# One pacmak call: it builds them in dependency order, each seeing the ones built before it.
npx jsii-pacmak --targets java --force --outdir "$tmp" "${missing[@]/#/node_modules/}"
while read -r name group artifact version; do
  dir="$tmp/java/${group//.//}/$artifact/$version"
  [ -d "$dir" ] || continue
  mvn -B -q install:install-file -Dfile="$dir/$artifact-$version.jar" -DpomFile="$dir/$artifact-$version.pom"
  echo "java-deps: $group:$artifact:$version installed into $repo"
done <<< "$deps"
