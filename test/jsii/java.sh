#!/usr/bin/env bash
# The Java test of the jsii package (issue 15): a Maven project (test/jsii/java/pom.xml) depending
# only on the built jar (packages/java, from `npm run package -- java`) gives the class path (the jar,
# cdk8s, constructs, cdk8s-plus-28, the jsii runtime); test/jsii/java/Check.java compares what Java
# synthesizes, throws and plans with what the TypeScript library gives (test/jsii/reference.ts), and
# runs the README's java quick start. The Maven repository lives in ~/.cache/cdk8s-canary-jsii/m2
# (scripts/package.sh fills it); a warm run resolves offline, a cold one from Maven Central.
set -euo pipefail
cd "$(dirname "$0")/../.."
CACHE="${CDK8S_CANARY_JSII_CACHE:-$HOME/.cache/cdk8s-canary-jsii}"
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dmaven.repo.local=$CACHE/m2" JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION=1
version=$(node -p "require('./package.json').version")
if [ ! -f "packages/java/io/github/cdk8s-canary/cdk8s-canary/$version/cdk8s-canary-$version.jar" ]; then
  echo "java: no packages/java/.../cdk8s-canary-$version.jar: run \`npm run package -- java\` first" >&2
  exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Install the jar just built into the local repository (replacing an earlier build of the same
# version), as a user of packages/java would; then the class path resolves offline when warm.
jar_dir="packages/java/io/github/cdk8s-canary/cdk8s-canary/$version"
maven() { mvn -B -q -o "$@" >/dev/null 2>&1 || mvn -B -q "$@"; }
maven install:install-file -Dfile="$jar_dir/cdk8s-canary-$version.jar" -DpomFile="$jar_dir/cdk8s-canary-$version.pom"
maven -f test/jsii/java/pom.xml dependency:build-classpath -Dmdep.outputFile="$work/classpath" -Dcanary.version="$version"
cp="$(cat "$work/classpath")"

npx tsx test/jsii/reference.ts "$work/reference"
# The README's first ```java block, as written (class Main).
mkdir -p "$work/readme" "$work/readme-classes" "$work/check-classes"
awk '/^```java$/ { inside = 1; next } inside && /^```$/ { exit } inside { print }' README.md > "$work/readme/Main.java"
if [ ! -s "$work/readme/Main.java" ]; then
  echo "java: README.md has no \`\`\`java block" >&2
  exit 1
fi
javac -cp "$cp" -d "$work/readme-classes" "$work/readme/Main.java"
javac -cp "$cp" -d "$work/check-classes" test/jsii/java/Check.java
java -cp "$work/check-classes:$cp" Check "$work/reference" "$work/readme-classes" "$work"
