import { dockerfilePinned } from '../../../src/policy/rules/dockerfile-pinned.js';
import { testRule } from '../../helpers/rule-tester.js';

const DIGEST = `sha256:${'0123456789abcdef'.repeat(4)}`;

testRule(dockerfilePinned, {
  valid: [
    {
      name: 'tagged images, multi-stage',
      files: {
        Dockerfile: 'FROM node:20.12 AS build\nRUN npm ci\nFROM build AS test\nFROM python:3.11-slim\nCOPY --from=build /app /app\n',
      },
    },
    {
      name: 'scratch, --platform and parser directive',
      files: {
        Dockerfile: '# syntax=docker/dockerfile:1\nFROM --platform=$BUILDPLATFORM golang:1.22 AS b\nFROM scratch\nCOPY --from=b /x /x\n',
      },
    },
    { name: 'digest only', files: { 'app.Dockerfile': `FROM python@${DIGEST}\n` } },
    { name: 'ARG default that pins', files: { 'Dockerfile.prod': 'ARG BASE=python:3.11\nFROM ${BASE}\n' } },
    { name: 'registry with a port is not a tag', files: { Dockerfile: 'FROM localhost:5000/team/img:1.2\n' } },
    { name: 'a partial with no FROM', files: { 'docker/Dockerfile.partial': 'RUN echo hi\n' } },
    { name: 'stage names are case-insensitive', files: { Dockerfile: 'FROM node:20 AS Build\nFROM build\n' } },
    {
      name: 'require-digest satisfied',
      files: { Dockerfile: `FROM python:3.11@${DIGEST}\n` },
      config: { dockerfile: { 'require-digest': true } },
    },
  ],
  invalid: [
    { name: 'no tag', files: { Dockerfile: 'FROM python\n' }, errors: [{ line: 1, code: 'unpinned', message: /no tag/ }] },
    {
      name: 'latest, reported once and not again on stages built from it',
      files: { 'etl/Dockerfile': 'FROM ubuntu:latest AS base\nFROM base\nFROM base AS final\n' },
      errors: [{ line: 1, code: 'unpinned', message: /latest/ }],
    },
    { name: 'ARG default without tag', files: { Dockerfile: 'ARG BASE=python\nFROM $BASE\n' }, errors: [{ line: 2, code: 'unpinned' }] },
    {
      name: 'ARG without default is unverifiable',
      files: { Dockerfile: 'ARG BASE\nFROM ${BASE}\n' },
      errors: [{ line: 2, code: 'unverifiable', severity: 'warning' }],
    },
    {
      name: 'malformed digest',
      files: { Dockerfile: 'FROM python@sha256:abc\n' },
      errors: [{ line: 1, code: 'unpinned', message: /malformed digest/ }],
    },
    {
      name: 'require-digest',
      files: { Dockerfile: 'FROM python:3.11\n' },
      config: { dockerfile: { 'require-digest': true } },
      errors: [{ line: 1, code: 'no-digest' }],
    },
    { name: 'lower-case from and *.Dockerfile', files: { 'svc/api.Dockerfile': 'from nginx\n' }, errors: [{ line: 1, code: 'unpinned' }] },
  ],
});
