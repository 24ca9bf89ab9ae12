/**
 * Dockerfiles → every image they build on (`FROM`, and `COPY --from=` naming an outside image), with
 * build arguments resolved, stages and `scratch` told apart, and the line of each instruction. Real
 * Dockerfiles from test/fixtures/realrepos (among them Renovate's parser fixtures, deliberately odd) and
 * public repositories, then the inputs a hostile file brings (the parser's 8 KB and 1 KB bounds).
 */
import {
  canonicalImageName,
  dockerfileFormat,
  extractFroms,
  instructionText,
  parseImageRef,
  type FromEntry,
  type ImageSource,
} from '../../../src/policy/formats/dockerfile.js';
import { covers } from '../../../src/policy/parsed.js';
import { checkVerbatim, crlf, NIGHTLY_DOCKERFILE_HEAD, text, type Copied } from './real-files.js';

interface Case extends Copied {
  value: FromEntry[];
}

/** An outside image; `raw` is the reference after build arguments are expanded. */
const image = (line: number, raw: string, via: ImageSource = 'FROM', platform?: string): FromEntry => ({
  kind: 'image',
  line,
  raw,
  image: parseImageRef(raw),
  ...(platform === undefined ? {} : { platform }),
  via,
});
const stage = (line: number, raw: string, via: ImageSource = 'FROM'): FromEntry => ({ kind: 'stage', line, raw, via });
const scratch = (line: number): FromEntry => ({ kind: 'scratch', line, raw: 'scratch', via: 'FROM' });
const unresolved = (line: number, raw: string, variable: string, via: ImageSource = 'FROM'): FromEntry => ({
  kind: 'unresolved',
  line,
  raw,
  variable,
  via,
});

// lizrice/strace-from-scratch Dockerfile@5ca721d1f488f4fd14d1b5a43000d5d6b462b35b (whole file).
const STRACE = text(
  'ARG GO_VERSION',
  '',
  'FROM golang:${GO_VERSION}-alpine AS build',
  '',
  'ENV GO111MODULE=on \\',
  '    CGO_ENABLED=0 \\',
  '    GOOS=linux',
  '',
  'WORKDIR /build',
  '',
  'COPY go.mod go.sum *.go LICENSE ./',
  'COPY syscalls/ ./syscalls/',
  '',
  'RUN go build -o main .',
  '',
  'FROM alpine:3.18.2',
  '',
  'WORKDIR /dist',
  '',
  'COPY --from=build /build/main /build/LICENSE ./',
  '',
  'ENTRYPOINT ["/dist/main"]',
  '',
);

// docker/docs content/manuals/build/building/multi-stage.md@656d1a871c6837fae1e4538b82a3a5c01b70ed1e, "Use multi-stage
// builds" (the page's `{{% param "example_go_version" %}}` rendered as 1.24).
const DOCKER_DOCS = text(
  '# syntax=docker/dockerfile:1',
  'FROM golang:1.24',
  'WORKDIR /src',
  'COPY <<EOF ./main.go',
  'package main',
  '',
  'import "fmt"',
  '',
  'func main() {',
  '  fmt.Println("hello, world")',
  '}',
  'EOF',
  'RUN go build -o /bin/hello ./main.go',
  '',
  'FROM scratch',
  'COPY --from=0 /bin/hello /bin/hello',
  'CMD ["/bin/hello"]',
);

const realFiles: Case[] = [
  {
    name: 'the core’s image by a tag; ARGs without defaults that no FROM uses',
    fixture: '1c-core-nightly-subfolder-project/tooling/nightly/docker/Dockerfile',
    text:
      NIGHTLY_DOCKERFILE_HEAD +
      text(
        'COPY tooling/nightly/dbt/seeds seeds',
        'COPY tooling/nightly/dbt/models models',
        'COPY tooling/nightly/dbt/dbt_project.yml dbt_project.yml',
        'COPY tooling/nightly/dbt/packages.yml packages.yml',
        '# Install the specified version of the core.',
        'RUN --mount=type=ssh poetry run dbt deps',
      ),
    value: [image(2, 'ghcr.io/sciance-inc/core.dashboards_store_depechecode:sqlserver')],
  },
  {
    name: 'a template Dockerfile on the core image’s `develop` tag',
    fixture: "2-core-cookiecutter-template/tooling/template/{{ cookiecutter.css_short_name + '.dashboards_store' }}/depechecode/Dockerfile",
    text: text(
      "# source: Sciance-Inc/core.dashboards_store tooling/template/{{ cookiecutter.css_short_name + '.dashboards_store' }}/depechecode/Dockerfile@83f6d506887c289afc3f3e89e67d076083ae876a (trimmed)",
      '# docker build --ssh default -f depechecode/Dockerfile -t rmme -o - . > out.tar',
      'FROM ghcr.io/sciance-inc/core.dashboards_store:develop',
      '',
      '# Set the working directory',
      'WORKDIR /src',
      '',
    ),
    value: [image(3, 'ghcr.io/sciance-inc/core.dashboards_store:develop')],
  },
  {
    name: 'ARG values over continued lines with comments between them, a quoted value with a digest',
    fixture: '4-dockerfile-arg-continuation/3.Dockerfile',
    text: text(
      '# source: renovatebot/renovate lib/modules/manager/dockerfile/__fixtures__/3.Dockerfile@fcdecc3355117a7b686e8408d64a176af48ad1df (verbatim below this line)',
      ' ARG \\',
      '\t# multi-line arg',
      '   ALPINE_VERSION=alpine:3.15.4',
      '',
      'FROM \\',
      '${ALPINE_VERSION} as stage1',
      '',
      'ARG   \\',
      '  \\',
      ' # multi-line arg',
      ' # and multi-line comment',
      '   nginx_version="nginx:1.18.0-alpine@sha256:ca9fac83c6c89a09424279de522214e865e322187b22a1a29b12747a4287b7bd"',
      '',
      'FROM $nginx_version as stage2',
    ),
    value: [
      image(6, 'alpine:3.15.4'),
      image(15, 'nginx:1.18.0-alpine@sha256:ca9fac83c6c89a09424279de522214e865e322187b22a1a29b12747a4287b7bd'),
    ],
  },
  {
    name: 'the `# escape=`` ` directive (in any case) makes the backtick the continuation character',
    fixture: '4-dockerfile-arg-continuation/4.Dockerfile',
    text: text(
      '#  syntax=docker/dockerfile:1',
      ' # EsCaPe=`',
      ' ARG `',
      '\t# multi-line arg',
      '   ALPINE_VERSION=alpine:3.15.4',
      '',
      'FROM `',
      '${ALPINE_VERSION} as stage1',
      '',
      'ARG   `',
      '  `',
      ' # multi-line arg',
      ' # and multi-line comment',
      '   nginx_version="nginx:18.04@sha256:abcdef"',
      '',
      'FROM $nginx_version as stage2',
      '',
      '\tFROM \t`',
      ' \t  `',
      '   image5 `',
      '\t#comment5',
      '\tas name3',
      '',
      '\tCOPY \t`',
      ' \t  `',
      '   --from=image12 a `',
      '\t#comment5',
      '\tb',
    ),
    value: [image(7, 'alpine:3.15.4'), image(16, 'nginx:18.04@sha256:abcdef'), image(18, 'image5'), image(24, 'image12', 'COPY --from')],
  },
  {
    name: 'Renovate’s odd FROM and COPY --from syntaxes: tabs, `--platform`, --from after another flag, commented-out lines',
    fixture: '9-noise-fixtures-vendored/renovate-parser-fixture/2.Dockerfile',
    text: text(
      '# source: renovatebot/renovate lib/modules/manager/dockerfile/__fixtures__/2.Dockerfile@e9ffaff0adcbb05df5154d72c8f0afc7134cc18c (verbatim below this line)',
      '# different FROM syntaxes',
      ' FROM  image1 as\t\tname1',
      '',
      'FROM image2:1.0.0@sha256:abcdef \\',
      '\tas name2',
      '',
      '# FROM image3',
      '',
      'FROM\\',
      '    --platform=$arg \\',
      '\t# comment1',
      '\t image4',
      '',
      '\tFROM \t\\',
      ' \t  \\',
      '   image5 \\',
      '\t#comment5',
      '\tas name3',
      '',
      '# different COPY --from syntaxes',
      'COPY --from=image6 /path/1 /path/2',
      '',
      ' COPY \\',
      '\t# comment1',
      '\t--from=image7:1.0.0@sha256:abcdef \\',
      '\t/path/1 \\',
      '\t/path/2',
      '',
      '# COPY --from=image8',
      '',
      'COPY --chown=root --from=image11 / ./',
      '',
      '\tCOPY \t\\',
      ' \t  \\',
      '   --from=image12 a \\',
      '\t#comment5',
      '\tb',
      '',
      'COPY\t--from=image13 --chown=root: a b',
    ),
    value: [
      image(3, 'image1'),
      image(5, 'image2:1.0.0@sha256:abcdef'),
      // The platform is kept as written: it does not decide the image.
      image(10, 'image4', 'FROM', '$arg'),
      image(15, 'image5'),
      image(22, 'image6', 'COPY --from'),
      image(24, 'image7:1.0.0@sha256:abcdef', 'COPY --from'),
      image(32, 'image11', 'COPY --from'),
      image(34, 'image12', 'COPY --from'),
      image(40, 'image13', 'COPY --from'),
    ],
  },
  // fj0r/event-driven-app-platform docker/ui.Dockerfile@de646485b3a990531e69b507ec0f74671da035ae (whole file).
  {
    name: 'a base image from an ARG without a default, then scratch, then copies from the named stage',
    text: text(
      'ARG BASEIMAGE',
      'FROM ${BASEIMAGE} as build',
      'FROM scratch',
      'COPY --from=build /app/target/dx/ui/release/web/public/ /app',
      'COPY --from=build /app/assets /app/assets',
    ),
    value: [unresolved(2, '${BASEIMAGE}', 'BASEIMAGE'), scratch(3), stage(4, 'build', 'COPY --from'), stage(5, 'build', 'COPY --from')],
  },
  {
    name: 'an ARG without a default inside the image reference',
    text: STRACE,
    value: [unresolved(3, 'golang:${GO_VERSION}-alpine', 'GO_VERSION'), image(16, 'alpine:3.18.2'), stage(20, 'build', 'COPY --from')],
  },
  // szatanjl/template-rs Dockerfile@3f308188802d9da8daf185c1ffafcd643ae73ba6 (first 30 lines, through `FROM $RUNIMG AS run`).
  {
    name: 'ARGs built on other ARGs, and empty ARG defaults',
    text: text(
      'ARG CARGO=cargo',
      'ARG CARGO_BUILD_FLAGS=',
      'ARG CARGO_FETCH_FLAGS=',
      '',
      'ARG BASEIMG=rust:alpine',
      'ARG BUILDIMG=$BASEIMG',
      'ARG RUNIMG=$BASEIMG',
      '',
      '',
      'FROM $BUILDIMG AS build',
      'WORKDIR /app/src',
      'RUN apk --no-cache add make',
      'COPY Cargo.toml Cargo.loc[k] .',
      "RUN mkdir src && echo 'fn main(){}' > src/main.rs",
      'ARG CARGO',
      'ARG CARGO_FETCH_FLAGS',
      'RUN ${CARGO} fetch ${CARGO_FETCH_FLAGS}',
      'ARG CARGO_BUILD_FLAGS',
      'RUN ${CARGO} build -r ${CARGO_BUILD_FLAGS}',
      'COPY . .',
      "RUN { [ -r version.mk ] && sed '/^$/q; s/^/\\t/' version.mk; } || \\",
      "    printf '\\tNO VERSION\\n'",
      'RUN touch src/main.rs',
      'RUN ${CARGO} build -r ${CARGO_BUILD_FLAGS}',
      'RUN make DESTDIR=/app/dst localstatedir=/var install',
      '',
      '',
      'FROM $RUNIMG AS run',
      'WORKDIR /',
      'COPY --from=build /app/dst .',
    ),
    value: [image(10, 'rust:alpine'), image(28, 'rust:alpine'), stage(30, 'build', 'COPY --from')],
  },
  {
    name: 'Docker’s documentation: a heredoc (whose lines are not instructions), scratch, and `COPY --from=0`',
    text: DOCKER_DOCS,
    value: [image(2, 'golang:1.24'), scratch(15), stage(16, '0', 'COPY --from')],
  },
  // Same page, "Use a previous stage as a new stage" and "Use an external image as a stage".
  {
    name: 'Docker’s documentation: FROM an earlier stage, and COPY --from an outside image',
    text: text(
      '# syntax=docker/dockerfile:1',
      '',
      'FROM alpine:latest AS builder',
      'RUN apk --no-cache add build-base',
      '',
      'FROM builder AS build1',
      'COPY source1.cpp source.cpp',
      'RUN g++ -o /binary source.cpp',
      '',
      'FROM builder AS build2',
      'COPY source2.cpp source.cpp',
      'RUN g++ -o /binary source.cpp',
      'COPY --from=nginx:latest /etc/nginx/nginx.conf /nginx.conf',
    ),
    value: [image(3, 'alpine:latest'), stage(6, 'builder'), stage(10, 'builder'), image(13, 'nginx:latest', 'COPY --from')],
  },
];

/** Variants of the files above: what each changes is in its name. */
const edgeCases: Case[] = [
  { name: 'an empty file', text: '', value: [] },
  {
    name: 'CRLF line endings (the strace-from-scratch Dockerfile)',
    text: crlf(STRACE),
    value: [unresolved(3, 'golang:${GO_VERSION}-alpine', 'GO_VERSION'), image(16, 'alpine:3.18.2'), stage(20, 'build', 'COPY --from')],
  },
  {
    name: 'a `${GO_VERSION:-1.21}` default in the reference (strace-from-scratch’s FROM)',
    text: text('ARG GO_VERSION', '', 'FROM golang:${GO_VERSION:-1.21}-alpine AS build'),
    value: [image(3, 'golang:1.21-alpine')],
  },
  {
    name: 'a `${TAG:+…}` alternative of an unset ARG expands to nothing',
    text: text('ARG TAG', 'FROM alpine:${TAG:+3.18.2}'),
    value: [image(2, 'alpine:')],
  },
  {
    name: 'instructions and stage names in any case (the documentation’s file, lower-cased)',
    text: text('from golang:1.24 as Build', 'copy --from=BUILD /bin/hello /bin/hello'),
    value: [image(1, 'golang:1.24'), stage(2, 'BUILD', 'COPY --from')],
  },
  {
    name: 'a `FROM` inside a heredoc is text, not an instruction',
    text: text('# syntax=docker/dockerfile:1', 'FROM golang:1.24', 'COPY <<EOF ./Dockerfile.inner', 'FROM ubuntu', 'EOF'),
    value: [image(2, 'golang:1.24')],
  },
  {
    // Docker refuses it; the parser reads a stage number that no stage has yet as an image name.
    name: '`COPY --from=1` before a second stage exists',
    text: text('FROM scratch', 'COPY --from=1 /bin/hello /bin/hello'),
    value: [scratch(1), image(2, '1', 'COPY --from')],
  },
  {
    name: 'a FROM longer than 8 KB is not read, and says why',
    text: text(`FROM ${'a'.repeat(9000)}`),
    value: [unresolved(1, `FROM ${'a'.repeat(35)}…`, 'an instruction over 8 KB')],
  },
  {
    name: 'a COPY --from longer than 8 KB likewise',
    text: text('FROM alpine:3.18.2', `COPY --from=${'a'.repeat(9000)} / /`),
    value: [image(1, 'alpine:3.18.2'), unresolved(2, `COPY --from=${'a'.repeat(28)}…`, 'an instruction over 8 KB', 'COPY --from')],
  },
  {
    name: 'an ARG that expands past 1 KB is unknown, never half-expanded',
    text: text(`ARG A=${'x'.repeat(600)}`, 'ARG B=$A$A', 'FROM $B'),
    value: [unresolved(3, '$B', 'B')],
  },
  {
    name: 'binary bytes (a .pbit report’s zip header) read as no instruction',
    text: 'PK\u0003\u0004\u0014\u0000\u0006\u0000\u0008\u0000binary-pbit',
    value: [],
  },
];

describe('dockerfile format', () => {
  describe('real files', () => {
    it.each(realFiles)('$name', ({ text: input, value }) => {
      expect(dockerfileFormat.parse(input, 'Dockerfile')).toEqual({ value });
    });
  });

  describe('edge cases', () => {
    it.each(edgeCases)('$name', ({ text: input, value }) => {
      expect(extractFroms(input)).toEqual(value);
    });
  });

  it.each([
    [
      'ghcr.io/sciance-inc/core.dashboards_store_depechecode:sqlserver',
      { name: 'ghcr.io/sciance-inc/core.dashboards_store_depechecode', tag: 'sqlserver' },
    ],
    [
      'nginx:1.18.0-alpine@sha256:ca9fac83c6c89a09424279de522214e865e322187b22a1a29b12747a4287b7bd',
      { name: 'nginx', tag: '1.18.0-alpine', digest: 'sha256:ca9fac83c6c89a09424279de522214e865e322187b22a1a29b12747a4287b7bd' },
    ],
    [
      'rhysd/actionlint@sha256:9d36088643581e728c969f35141f88139fec77280b2be23c1f66f8e40e1025e7',
      { name: 'rhysd/actionlint', digest: 'sha256:9d36088643581e728c969f35141f88139fec77280b2be23c1f66f8e40e1025e7' },
    ],
    // A `:` before the last `/` is a registry port, not a tag; names are lower-cased, tags are not.
    ['localhost:5000/Store', { name: 'localhost:5000/store' }],
    ['registry:5000/ns/name:Tag', { name: 'registry:5000/ns/name', tag: 'Tag' }],
  ])('parseImageRef(%s)', (ref, parts) => {
    expect(parseImageRef(ref)).toEqual(parts);
  });

  it.each([
    ['docker.io/library/python', 'python'],
    ['index.docker.io/library/Python', 'python'],
    ['registry-1.docker.io/pandoc/latex', 'pandoc/latex'],
    ['ghcr.io/library/x', 'ghcr.io/library/x'],
  ])('canonicalImageName(%s) is %s', (name, canonical) => {
    expect(canonicalImageName(name)).toBe(canonical);
  });

  it('quotes an entry as the instruction it came from', () => {
    expect(instructionText({ via: 'FROM', raw: 'alpine:3.18.2' })).toBe('FROM alpine:3.18.2');
    expect(instructionText({ via: 'COPY --from', raw: 'nginx:latest' })).toBe('COPY --from=nginx:latest');
  });

  it.each([
    ['Dockerfile', true],
    ['tooling/nightly/docker/Dockerfile', true],
    ['docker/ui.Dockerfile', true],
    ['4-dockerfile-arg-continuation/3.Dockerfile', true],
    ['Dockerfile.prod', true],
    ['Dockerfile_dev', true],
    ['Dockerfile-ci', true],
    ['dockerfile', true],
    ['Dockerfiles/README.md', false],
    ['docker-compose.yml', false],
  ])('reads %s: %s', (path, read) => {
    expect(covers(dockerfileFormat, path)).toBe(read);
  });

  checkVerbatim(realFiles);
});
