/**
 * pip requirements files → one typed entry per logical line (comments dropped, `\\` continuations
 * joined onto their first line): named requirements with their specifier, VCS and URL requirements,
 * local installs, includes and options. Real files from the labelled corpus (its file name gives
 * repository and path; line numbers are the corpus's), pip's own documentation, then sloppy variants.
 */
import { extractRequirements, isExactPin, requirementsFormat, type Requirement } from '../../../src/policy/formats/requirements.js';
import { covers } from '../../../src/policy/parsed.js';
import { describeWithShared } from '../../helpers/shared.js';
import { checkVerbatim, corpusText, crlf, labelledLines, text, unterminated, type Copied } from './real-files.js';

interface Case extends Copied {
  value: Requirement[];
}

const named = (line: number, raw: string, name: string, spec: string, hashed = false): Requirement => ({
  kind: 'named',
  line,
  raw,
  name,
  spec,
  hashed,
});
const vcs = (line: number, raw: string, url: string, ref?: string): Requirement => ({ kind: 'vcs', line, raw, url, ref });

const realFiles: Case[] = [
  {
    name: 'comment lines (one holding a git+ URL) are not requirements; bare names, pins and a range',
    corpus: 'python/001__dbt-labs__dbt-core__dev-requirements.txt',
    text: text(
      "# don't install deps from main on the release branches - it causes version conflicts",
      '# git+https://github.com/dbt-labs/dbt-adapters.git@main#subdirectory=dbt-adapters',
      '# git+https://github.com/dbt-labs/dbt-adapters.git@main#subdirectory=dbt-tests-adapter',
      '# git+https://github.com/dbt-labs/dbt-common.git@main',
      'dbt-postgres',
      "# black must match what's in .pre-commit-config.yaml to be sure local env matches CI",
      'black==24.3.0',
      'bumpversion',
      'ddtrace==2.3.0',
      'docutils',
      "# flake8 must match what's in .pre-commit-config.yaml to be sure local env matches CI",
      'flake8==4.0.1',
      'flaky',
      'freezegun>=1.4.0,<1.5',
    ),
    value: [
      named(5, 'dbt-postgres', 'dbt-postgres', ''),
      named(7, 'black==24.3.0', 'black', '==24.3.0'),
      named(8, 'bumpversion', 'bumpversion', ''),
      named(9, 'ddtrace==2.3.0', 'ddtrace', '==2.3.0'),
      named(10, 'docutils', 'docutils', ''),
      named(12, 'flake8==4.0.1', 'flake8', '==4.0.1'),
      named(13, 'flaky', 'flaky', ''),
      named(14, 'freezegun>=1.4.0,<1.5', 'freezegun', '>=1.4.0,<1.5'),
    ],
  },
  {
    name: 'an inline comment holding `;` and `==` is cut off',
    corpus: 'python/002__mozilla__bugbug__requirements.txt',
    text: text(
      'adr==0.19.0',
      'boto3==1.16.6',
      'imbalanced-learn==0.7.0',
      'joblib==0.17.0',
      'libmozdata==0.1.68',
      'lmdb==0.99',
      'matplotlib==3.3.2',
      'mercurial==5.5.2',
      'microannotate==0.0.20',
      'mozci==1.9.4',
      'numpy==1.19.3',
      'orjson==3.4.1',
      'ortools==8.0.8283',
      'pandas==1.1.3',
      'psutil==5.7.3',
      'pydriller==1.12',
      'pyOpenSSL>=0.14  # Could not find a version that satisfies the requirement pyOpenSSL>=0.14; extra == "security" (from requests[security]>=2.7.0->libmozdata==0.1.43)',
    ),
    value: [
      named(1, 'adr==0.19.0', 'adr', '==0.19.0'),
      named(2, 'boto3==1.16.6', 'boto3', '==1.16.6'),
      named(3, 'imbalanced-learn==0.7.0', 'imbalanced-learn', '==0.7.0'),
      named(4, 'joblib==0.17.0', 'joblib', '==0.17.0'),
      named(5, 'libmozdata==0.1.68', 'libmozdata', '==0.1.68'),
      named(6, 'lmdb==0.99', 'lmdb', '==0.99'),
      named(7, 'matplotlib==3.3.2', 'matplotlib', '==3.3.2'),
      named(8, 'mercurial==5.5.2', 'mercurial', '==5.5.2'),
      named(9, 'microannotate==0.0.20', 'microannotate', '==0.0.20'),
      named(10, 'mozci==1.9.4', 'mozci', '==1.9.4'),
      named(11, 'numpy==1.19.3', 'numpy', '==1.19.3'),
      named(12, 'orjson==3.4.1', 'orjson', '==3.4.1'),
      named(13, 'ortools==8.0.8283', 'ortools', '==8.0.8283'),
      named(14, 'pandas==1.1.3', 'pandas', '==1.1.3'),
      named(15, 'psutil==5.7.3', 'psutil', '==5.7.3'),
      named(16, 'pydriller==1.12', 'pydriller', '==1.12'),
      named(17, 'pyOpenSSL>=0.14', 'pyOpenSSL', '>=0.14'),
    ],
  },
  {
    name: 'a hashed requirement continued over `\\` lines is one entry on its first line; `-r` is an include',
    corpus: 'python/003__mozilla__addons-server__requirements~docs.txt',
    text: text(
      '-r system.txt',
      '',
      '# Jinja2 is required by Sphinx',
      'Jinja2==3.0.1 \\',
      '    --hash=sha256:1f06f2da51e7b56b8f238affdd6b4e2c61e39598a378cc49345bc1bd42a978a4 \\',
      '    --hash=sha256:703f484b47a6af502e743c9122595cc812b0271f661722403114f71a79d0f5a4',
      '# Pygments is required by Sphinx',
      'Pygments==2.10.0 \\',
      '    --hash=sha256:b8e67fe6af78f492b3c4b3e2970c0624cbf08beb1e493b2c99b9fa1b67a20380 \\',
      '    --hash=sha256:f398865f7eb6874156579fdf36bc840a03cab64d1cde9e93d68f46a425ec52c6',
    ),
    value: [
      { kind: 'include', line: 1, raw: '-r system.txt', target: 'system.txt' },
      named(
        4,
        'Jinja2==3.0.1       --hash=sha256:1f06f2da51e7b56b8f238affdd6b4e2c61e39598a378cc49345bc1bd42a978a4       --hash=sha256:703f484b47a6af502e743c9122595cc812b0271f661722403114f71a79d0f5a4',
        'Jinja2',
        '==3.0.1',
        true,
      ),
      named(
        8,
        'Pygments==2.10.0       --hash=sha256:b8e67fe6af78f492b3c4b3e2970c0624cbf08beb1e493b2c99b9fa1b67a20380       --hash=sha256:f398865f7eb6874156579fdf36bc840a03cab64d1cde9e93d68f46a425ec52c6',
        'Pygments',
        '==2.10.0',
        true,
      ),
    ],
  },
  {
    name: 'VCS requirements: a URL-encoded branch ref is decoded, or there is no ref at all',
    corpus: 'python/005__dbt-labs__dbt-snowflake__dev-requirements.txt',
    text: text(
      '# install latest changes in dbt-core',
      '# TODO: how to automate switching from develop to version branches?',
      'git+https://github.com/dbt-labs/dbt-core.git@paw%2Fmetadata-freshness#egg=dbt-core&subdirectory=core',
      'git+https://github.com/dbt-labs/dbt-core.git#egg=dbt-tests-adapter&subdirectory=tests/adapter',
      '',
      '# if version 1.x or greater -> pin to major version',
      '# if version 0.x -> pin to minor',
      'black~=23.9',
    ),
    value: [
      vcs(
        3,
        'git+https://github.com/dbt-labs/dbt-core.git@paw%2Fmetadata-freshness#egg=dbt-core&subdirectory=core',
        'git+https://github.com/dbt-labs/dbt-core.git@paw%2Fmetadata-freshness#egg=dbt-core&subdirectory=core',
        'paw/metadata-freshness',
      ),
      vcs(
        4,
        'git+https://github.com/dbt-labs/dbt-core.git#egg=dbt-tests-adapter&subdirectory=tests/adapter',
        'git+https://github.com/dbt-labs/dbt-core.git#egg=dbt-tests-adapter&subdirectory=tests/adapter',
      ),
      named(8, 'black~=23.9', 'black', '~=23.9'),
    ],
  },
  {
    name: 'environment markers written with spaces, and extras',
    corpus: 'python/007__00mjk__pypsrp__requirements-dev.txt',
    text: text('asyncssh', 'black', 'build', "gssapi ; sys_platform != 'win32'", "krb5 ; sys_platform != 'win32'", 'httpx[socks]'),
    value: [
      named(1, 'asyncssh', 'asyncssh', ''),
      named(2, 'black', 'black', ''),
      named(3, 'build', 'build', ''),
      named(4, "gssapi ; sys_platform != 'win32'", 'gssapi', ''),
      named(5, "krb5 ; sys_platform != 'win32'", 'krb5', ''),
      named(6, 'httpx[socks]', 'httpx', ''),
    ],
  },
  {
    name: '`-e .[socks]` installs the local project',
    corpus: 'python/009__psf__requests__requirements-dev.txt',
    text: text(
      '-e .[socks]',
      'pytest>=2.8.0,<9',
      'pytest-cov',
      'pytest-httpbin==2.1.0',
      'httpbin~=0.10.0',
      'trustme',
      'pylint',
      'mypy',
      'wheel',
    ),
    value: [
      { kind: 'local', line: 1, raw: '-e .[socks]' },
      named(2, 'pytest>=2.8.0,<9', 'pytest', '>=2.8.0,<9'),
      named(3, 'pytest-cov', 'pytest-cov', ''),
      named(4, 'pytest-httpbin==2.1.0', 'pytest-httpbin', '==2.1.0'),
      named(5, 'httpbin~=0.10.0', 'httpbin', '~=0.10.0'),
      named(6, 'trustme', 'trustme', ''),
      named(7, 'pylint', 'pylint', ''),
      named(8, 'mypy', 'mypy', ''),
      named(9, 'wheel', 'wheel', ''),
    ],
  },
  {
    name: 'a malformed operator (`>==`) is kept as written',
    corpus: 'python/010__huggingface__diffusers__examples~dreambooth~requirements.txt',
    text: text(
      'diffusers>==0.5.0',
      'accelerate',
      'torchvision',
      'transformers>=4.21.0',
      'ftfy',
      'tensorboard',
      'modelcards',
      'faiss-gpu==1.7.2',
    ),
    value: [
      named(1, 'diffusers>==0.5.0', 'diffusers', '>==0.5.0'),
      named(2, 'accelerate', 'accelerate', ''),
      named(3, 'torchvision', 'torchvision', ''),
      named(4, 'transformers>=4.21.0', 'transformers', '>=4.21.0'),
      named(5, 'ftfy', 'ftfy', ''),
      named(6, 'tensorboard', 'tensorboard', ''),
      named(7, 'modelcards', 'modelcards', ''),
      named(8, 'faiss-gpu==1.7.2', 'faiss-gpu', '==1.7.2'),
    ],
  },
  {
    name: 'spaces before the operators; `-e .[all]` and `-r`',
    corpus: 'python/011__tiangolo__fastapi__requirements-tests.txt',
    text: text(
      '-e .[all]',
      '-r requirements-docs-tests.txt',
      'pytest >=7.1.3,<8.0.0',
      'coverage[toml] >= 6.5.0,< 8.0',
      'mypy ==1.8.0',
      'ruff ==0.2.0',
      'dirty-equals ==0.6.0',
    ),
    value: [
      { kind: 'local', line: 1, raw: '-e .[all]' },
      { kind: 'include', line: 2, raw: '-r requirements-docs-tests.txt', target: 'requirements-docs-tests.txt' },
      named(3, 'pytest >=7.1.3,<8.0.0', 'pytest', '>=7.1.3,<8.0.0'),
      named(4, 'coverage[toml] >= 6.5.0,< 8.0', 'coverage', '>= 6.5.0,< 8.0'),
      named(5, 'mypy ==1.8.0', 'mypy', '==1.8.0'),
      named(6, 'ruff ==0.2.0', 'ruff', '==0.2.0'),
      named(7, 'dirty-equals ==0.6.0', 'dirty-equals', '==0.6.0'),
    ],
  },
  {
    name: 'a VCS requirement without a ref; extras on a bare name',
    corpus: 'python/012__tloen__alpaca-lora__requirements.txt',
    text: text(
      'cchardet',
      'scipy',
      'accelerate',
      'appdirs',
      'loralib',
      'bitsandbytes',
      'black',
      'black[jupyter]',
      'datasets',
      'fire',
      'git+https://github.com/huggingface/peft.git',
      'transformers>=4.28.0',
    ),
    value: [
      named(1, 'cchardet', 'cchardet', ''),
      named(2, 'scipy', 'scipy', ''),
      named(3, 'accelerate', 'accelerate', ''),
      named(4, 'appdirs', 'appdirs', ''),
      named(5, 'loralib', 'loralib', ''),
      named(6, 'bitsandbytes', 'bitsandbytes', ''),
      named(7, 'black', 'black', ''),
      named(8, 'black[jupyter]', 'black', ''),
      named(9, 'datasets', 'datasets', ''),
      named(10, 'fire', 'fire', ''),
      vcs(11, 'git+https://github.com/huggingface/peft.git', 'git+https://github.com/huggingface/peft.git'),
      named(12, 'transformers>=4.28.0', 'transformers', '>=4.28.0'),
    ],
  },
  {
    name: '`-c` constraints and `-r` includes under a comment block',
    corpus: 'python/013__home-assistant__core__requirements_test.txt',
    text: text(
      '# linters such as pylint should be pinned, as new releases',
      '# make new things fail. Manually update these pins when pulling in a',
      '# new version',
      '',
      '# types-* that have versions roughly corresponding to the packages they',
      '# contain hints for available should be kept in sync with them',
      '',
      '-c homeassistant/package_constraints.txt',
      '-r requirements_test_pre_commit.txt',
      '# ast-serialize is an internal mypy dependency',
      'ast-serialize==0.3.0',
    ),
    value: [
      { kind: 'include', line: 8, raw: '-c homeassistant/package_constraints.txt', target: 'homeassistant/package_constraints.txt' },
      { kind: 'include', line: 9, raw: '-r requirements_test_pre_commit.txt', target: 'requirements_test_pre_commit.txt' },
      named(11, 'ast-serialize==0.3.0', 'ast-serialize', '==0.3.0'),
    ],
  },
  {
    name: 'a VCS requirement on a full SHA with `#egg=` (a `#` with no space before it starts no comment)',
    corpus: 'python/014__EleutherAI__gpt-neox__requirements~requirements.txt',
    text: text(
      'git+https://github.com/EleutherAI/DeeperSpeed.git@eb7f5cff36678625d23db8a8fe78b4a93e5d2c75#egg=deepspeed',
      'einops==0.3.0',
      'ftfy==6.0.1',
    ),
    value: [
      vcs(
        1,
        'git+https://github.com/EleutherAI/DeeperSpeed.git@eb7f5cff36678625d23db8a8fe78b4a93e5d2c75#egg=deepspeed',
        'git+https://github.com/EleutherAI/DeeperSpeed.git@eb7f5cff36678625d23db8a8fe78b4a93e5d2c75#egg=deepspeed',
        'eb7f5cff36678625d23db8a8fe78b4a93e5d2c75',
      ),
      named(2, 'einops==0.3.0', 'einops', '==0.3.0'),
      named(3, 'ftfy==6.0.1', 'ftfy', '==6.0.1'),
    ],
  },
  {
    name: 'an `==` inside an environment marker is not part of the specifier',
    corpus: 'python/015__openai__whisper__requirements.txt',
    text: text(
      'numba',
      'numpy',
      'torch',
      'tqdm',
      'more-itertools',
      'tiktoken',
      'triton>=2.0.0;platform_machine=="x86_64" and sys_platform=="linux" or sys_platform=="linux2"',
      'scipy',
      'pytest',
    ),
    value: [
      named(1, 'numba', 'numba', ''),
      named(2, 'numpy', 'numpy', ''),
      named(3, 'torch', 'torch', ''),
      named(4, 'tqdm', 'tqdm', ''),
      named(5, 'more-itertools', 'more-itertools', ''),
      named(6, 'tiktoken', 'tiktoken', ''),
      named(7, 'triton>=2.0.0;platform_machine=="x86_64" and sys_platform=="linux" or sys_platform=="linux2"', 'triton', '>=2.0.0'),
      named(8, 'scipy', 'scipy', ''),
      named(9, 'pytest', 'pytest', ''),
    ],
  },
  {
    name: 'blank lines, and no final newline',
    corpus: 'python/017__dbt-labs__jaffle_shop_duckdb__requirements.txt',
    text: unterminated(
      '# The only version that works currently',
      'duckcli==0.0.1',
      '',
      '# Database adapter',
      'dbt-duckdb>=1.1.2,<1.2.0',
      '',
      '# extra features',
      '',
      'sqlfluff~=1.2.1',
    ),
    value: [
      named(2, 'duckcli==0.0.1', 'duckcli', '==0.0.1'),
      named(5, 'dbt-duckdb>=1.1.2,<1.2.0', 'dbt-duckdb', '>=1.1.2,<1.2.0'),
      named(9, 'sqlfluff~=1.2.1', 'sqlfluff', '~=1.2.1'),
    ],
  },
  {
    name: 'decorative comment lines, and inline comments after one or two spaces',
    corpus: 'python/019__ultralytics__yolov5__requirements.txt',
    text: text(
      '# YOLOv5 requirements',
      '# Usage: pip install -r requirements.txt',
      '',
      '# Base ------------------------------------------------------------------------',
      'gitpython>=3.1.30',
      'matplotlib>=3.3',
      'numpy>=1.23.5',
      'opencv-python>=4.1.1',
      'pillow>=10.3.0',
      'psutil  # system resources',
      'PyYAML>=5.3.1',
      'requests>=2.32.2',
      'scipy>=1.4.1',
      'thop>=0.1.1  # FLOPs computation',
      'torch>=1.8.0  # see https://pytorch.org/get-started/locally (recommended)',
      'torchvision>=0.9.0',
      'tqdm>=4.66.3',
      'ultralytics>=8.2.64  # https://ultralytics.com',
      '# protobuf<=3.20.1  # https://github.com/ultralytics/yolov5/issues/8012',
    ),
    value: [
      named(5, 'gitpython>=3.1.30', 'gitpython', '>=3.1.30'),
      named(6, 'matplotlib>=3.3', 'matplotlib', '>=3.3'),
      named(7, 'numpy>=1.23.5', 'numpy', '>=1.23.5'),
      named(8, 'opencv-python>=4.1.1', 'opencv-python', '>=4.1.1'),
      named(9, 'pillow>=10.3.0', 'pillow', '>=10.3.0'),
      named(10, 'psutil', 'psutil', ''),
      named(11, 'PyYAML>=5.3.1', 'PyYAML', '>=5.3.1'),
      named(12, 'requests>=2.32.2', 'requests', '>=2.32.2'),
      named(13, 'scipy>=1.4.1', 'scipy', '>=1.4.1'),
      named(14, 'thop>=0.1.1', 'thop', '>=0.1.1'),
      named(15, 'torch>=1.8.0', 'torch', '>=1.8.0'),
      named(16, 'torchvision>=0.9.0', 'torchvision', '>=0.9.0'),
      named(17, 'tqdm>=4.66.3', 'tqdm', '>=4.66.3'),
      named(18, 'ultralytics>=8.2.64', 'ultralytics', '>=8.2.64'),
    ],
  },
  {
    name: '`-f` is an option; `===` with a local version label',
    corpus: 'python/020__BenAAndrew__Voice-Cloning-App__requirements-cpu.txt',
    text: unterminated(
      '-f https://download.pytorch.org/whl/torch_stable.html',
      'pydub==0.24.1',
      'librosa==0.6.0',
      'numpy==1.16.4',
      'inflect==0.2.5',
      'Unidecode==1.0.22',
      'Flask==1.1.2',
      'Flask-SocketIO==5.0.1',
      'matplotlib==3.3.4',
      'IPython==7.16.1',
      'soundfile==0.10.3.post1',
      'numba==0.48',
      'webrtcvad==2.0.10',
      'nltk==3.5',
      'requests==2.25.1',
      'torch===1.7.1+cpu',
      'torchvision===0.8.2+cpu',
      'torchaudio===0.7.2',
      'deepspeech==0.9.3',
    ),
    value: [
      { kind: 'option', line: 1, raw: '-f https://download.pytorch.org/whl/torch_stable.html' },
      named(2, 'pydub==0.24.1', 'pydub', '==0.24.1'),
      named(3, 'librosa==0.6.0', 'librosa', '==0.6.0'),
      named(4, 'numpy==1.16.4', 'numpy', '==1.16.4'),
      named(5, 'inflect==0.2.5', 'inflect', '==0.2.5'),
      named(6, 'Unidecode==1.0.22', 'Unidecode', '==1.0.22'),
      named(7, 'Flask==1.1.2', 'Flask', '==1.1.2'),
      named(8, 'Flask-SocketIO==5.0.1', 'Flask-SocketIO', '==5.0.1'),
      named(9, 'matplotlib==3.3.4', 'matplotlib', '==3.3.4'),
      named(10, 'IPython==7.16.1', 'IPython', '==7.16.1'),
      named(11, 'soundfile==0.10.3.post1', 'soundfile', '==0.10.3.post1'),
      named(12, 'numba==0.48', 'numba', '==0.48'),
      named(13, 'webrtcvad==2.0.10', 'webrtcvad', '==2.0.10'),
      named(14, 'nltk==3.5', 'nltk', '==3.5'),
      named(15, 'requests==2.25.1', 'requests', '==2.25.1'),
      named(16, 'torch===1.7.1+cpu', 'torch', '===1.7.1+cpu'),
      named(17, 'torchvision===0.8.2+cpu', 'torchvision', '===0.8.2+cpu'),
      named(18, 'torchaudio===0.7.2', 'torchaudio', '===0.7.2'),
      named(19, 'deepspeech==0.9.3', 'deepspeech', '==0.9.3'),
    ],
  },
  {
    name: '`name @ git+…@<SHA>`',
    corpus: 'python/023__facebookresearch__ImageBind__requirements.txt',
    text: text(
      'torch>=1.13.0',
      'torchvision>=0.14.0',
      'torchaudio>=0.13.0',
      'pytorchvideo @ git+https://github.com/facebookresearch/pytorchvideo.git@28fe037d212663c6a24f373b94cc5d478c8c1a1d',
      'timm==0.6.7',
    ),
    value: [
      named(1, 'torch>=1.13.0', 'torch', '>=1.13.0'),
      named(2, 'torchvision>=0.14.0', 'torchvision', '>=0.14.0'),
      named(3, 'torchaudio>=0.13.0', 'torchaudio', '>=0.13.0'),
      vcs(
        4,
        'pytorchvideo @ git+https://github.com/facebookresearch/pytorchvideo.git@28fe037d212663c6a24f373b94cc5d478c8c1a1d',
        'git+https://github.com/facebookresearch/pytorchvideo.git@28fe037d212663c6a24f373b94cc5d478c8c1a1d',
        '28fe037d212663c6a24f373b94cc5d478c8c1a1d',
      ),
      named(5, 'timm==0.6.7', 'timm', '==0.6.7'),
    ],
  },
  {
    name: '`name @ git+…` without a ref',
    corpus: 'python/024__Stability-AI__generative-models__requirements~pt2.txt',
    text: text('black==23.7.0', 'chardet==5.1.0', 'clip @ git+https://github.com/openai/CLIP.git'),
    value: [
      named(1, 'black==23.7.0', 'black', '==23.7.0'),
      named(2, 'chardet==5.1.0', 'chardet', '==5.1.0'),
      vcs(3, 'clip @ git+https://github.com/openai/CLIP.git', 'git+https://github.com/openai/CLIP.git'),
    ],
  },
  // pypa/pip docs/html/reference/requirements-file-format.md@2784cb4bb8c34f6bd439b1d027739f243cf3c035, "Example".
  {
    name: 'pip’s documented example: names, spaced specifiers with a wildcard and a marker, a direct URL, includes, a local wheel, a URL',
    text: text(
      '# This is a comment, to show how #-prefixed lines are ignored.',
      '# It is possible to specify requirements as plain names.',
      'pytest',
      'pytest-cov',
      'beautifulsoup4',
      '',
      '# The syntax supported here is the same as that of requirement specifiers.',
      'docopt == 0.6.1',
      'requests [security] >= 2.8.1, == 2.8.* ; python_version < "2.7"',
      'urllib3 @ https://github.com/urllib3/urllib3/archive/refs/tags/1.26.8.zip',
      '',
      '# It is possible to refer to other requirement files or constraints files.',
      '-r other-requirements.txt',
      '-c constraints.txt',
      '',
      '# It is possible to refer to specific local distribution paths.',
      './downloads/numpy-1.9.2-cp34-none-win32.whl',
      '',
      '# It is possible to refer to URLs.',
      'http://wxpython.org/Phoenix/snapshot-builds/wxPython_Phoenix-3.0.3.dev1820+49a8884-cp34-none-win_amd64.whl',
    ),
    value: [
      named(3, 'pytest', 'pytest', ''),
      named(4, 'pytest-cov', 'pytest-cov', ''),
      named(5, 'beautifulsoup4', 'beautifulsoup4', ''),
      named(8, 'docopt == 0.6.1', 'docopt', '== 0.6.1'),
      named(9, 'requests [security] >= 2.8.1, == 2.8.* ; python_version < "2.7"', 'requests', '>= 2.8.1, == 2.8.*'),
      { kind: 'url', line: 10, raw: 'urllib3 @ https://github.com/urllib3/urllib3/archive/refs/tags/1.26.8.zip' },
      { kind: 'include', line: 13, raw: '-r other-requirements.txt', target: 'other-requirements.txt' },
      { kind: 'include', line: 14, raw: '-c constraints.txt', target: 'constraints.txt' },
      { kind: 'local', line: 17, raw: './downloads/numpy-1.9.2-cp34-none-win32.whl' },
      {
        kind: 'url',
        line: 20,
        raw: 'http://wxpython.org/Phoenix/snapshot-builds/wxPython_Phoenix-3.0.3.dev1820+49a8884-cp34-none-win_amd64.whl',
      },
    ],
  },
];

// AUTOMATIC1111/stable-diffusion-webui requirements_versions.txt, which has CRLF endings at its source (the corpus copy is LF).
const A1111 = text('GitPython==3.1.32', '', 'accelerate==0.21.0', 'basicsr==1.4.2');
const A1111_VALUE = [
  named(1, 'GitPython==3.1.32', 'GitPython', '==3.1.32'),
  named(3, 'accelerate==0.21.0', 'accelerate', '==0.21.0'),
  named(4, 'basicsr==1.4.2', 'basicsr', '==1.4.2'),
];
// mozilla/addons-server requirements/docs.txt, lines 3-6.
const HASHED = text(
  '# Jinja2 is required by Sphinx',
  'Jinja2==3.0.1 \\',
  '    --hash=sha256:1f06f2da51e7b56b8f238affdd6b4e2c61e39598a378cc49345bc1bd42a978a4 \\',
  '    --hash=sha256:703f484b47a6af502e743c9122595cc812b0271f661722403114f71a79d0f5a4',
);

/** Variants of the corpus files: what each changes is in its name. */
const edgeCases: Case[] = [
  { name: 'an empty file', text: '', value: [] },
  {
    name: 'only comments (ultralytics/yolov5’s commented-out export block)',
    text: text(
      '# Export ----------------------------------------------------------------------',
      '# coremltools>=6.0  # CoreML export',
      '# onnx>=1.10.0  # ONNX export',
    ),
    value: [],
  },
  { name: 'CRLF line endings, as A1111’s requirements_versions.txt has them at its source', text: crlf(A1111), value: A1111_VALUE },
  { name: 'a byte-order mark before the first requirement', text: `\uFEFF${A1111}`, value: A1111_VALUE },
  {
    name: 'hash continuations with CRLF line endings',
    text: crlf(HASHED),
    value: [
      named(
        2,
        'Jinja2==3.0.1       --hash=sha256:1f06f2da51e7b56b8f238affdd6b4e2c61e39598a378cc49345bc1bd42a978a4       --hash=sha256:703f484b47a6af502e743c9122595cc812b0271f661722403114f71a79d0f5a4',
        'Jinja2',
        '==3.0.1',
        true,
      ),
    ],
  },
  {
    name: 'a continuation on the last line of the file',
    text: text('numba', 'torch \\'),
    value: [named(1, 'numba', 'numba', ''), named(2, 'torch', 'torch', '')],
  },
  {
    name: 'an editable VCS install on a tag (dbt-snowflake’s dbt-core line, with `-e` and `@v1.7.4`)',
    text: text('-e git+https://github.com/dbt-labs/dbt-core.git@v1.7.4#egg=dbt-core&subdirectory=core'),
    value: [
      vcs(
        1,
        '-e git+https://github.com/dbt-labs/dbt-core.git@v1.7.4#egg=dbt-core&subdirectory=core',
        'git+https://github.com/dbt-labs/dbt-core.git@v1.7.4#egg=dbt-core&subdirectory=core',
        'v1.7.4',
      ),
    ],
  },
  {
    name: '`--extra-index-url` is an option; `--requirement=` an include',
    text: text('--extra-index-url https://download.pytorch.org/whl/torch_stable.html', '--requirement=requirements.txt'),
    value: [
      { kind: 'option', line: 1, raw: '--extra-index-url https://download.pytorch.org/whl/torch_stable.html' },
      { kind: 'include', line: 2, raw: '--requirement=requirements.txt', target: 'requirements.txt' },
    ],
  },
  {
    name: 'a line of 200 000 spaces before a continuation',
    text: text(`requests${' '.repeat(200_000)}\\`, '==2.24.0'),
    // Continued lines are joined with spaces, and `raw` keeps them.
    value: [named(1, `requests${' '.repeat(200_002)}==2.24.0`, 'requests', '==2.24.0')],
  },
];

describe('requirements format', () => {
  describe('real files', () => {
    it.each(realFiles)('$name', ({ text: input, value }) => {
      expect(requirementsFormat.parse(input, 'requirements.txt')).toEqual({ value });
    });
  });

  describe('edge cases', () => {
    it.each(edgeCases)('$name', ({ text: input, value }) => {
      expect(extractRequirements(input)).toEqual(value);
    });
  });

  it.each([
    ['==3.0.1', true],
    ['== 0.6.1', true],
    ['===1.7.1+cpu', true],
    ['==0.10.3.post1', true],
    ['>==0.5.0', false],
    ['>= 2.8.1, == 2.8.*', false],
    ['==2.8.*', false],
    ['~=4.16.0', false],
    ['<1.27,>=1.25.4', false],
    ['', false],
  ])('isExactPin(%j) is %s', (spec, exact) => {
    expect(isExactPin(spec)).toBe(exact);
  });

  it.each([
    ['requirements.txt', true],
    ['dev-requirements.txt', true],
    ['requirements_test.txt', true],
    ['Requirements-CPU.txt', true],
    ['examples/dreambooth/requirements.txt', true],
    ['requirements/docs.txt', true],
    ['requirements/pt2.txt', true],
    ['requirements.in', false],
    ['constraints.txt', false],
    ['.venv/lib/python3.12/site-packages/x/requirements.txt', false],
  ])('reads %s: %s', (path, read) => {
    expect(covers(requirementsFormat, path)).toBe(read);
  });

  checkVerbatim(realFiles);
});

describeWithShared('every line LABELS.tsv flags in the requirements corpus is a requirement the parser reports', () => {
  const files = labelledLines('python');

  it('covers the 25 requirements files', () => {
    expect(files).toHaveLength(25);
  });

  it.each(files)('%s', (file, flagged) => {
    const requirements = new Set(
      extractRequirements(corpusText(file)).flatMap((r) => (r.kind === 'named' || r.kind === 'vcs' ? [r.line] : [])),
    );
    expect(flagged.filter((line) => !requirements.has(line))).toEqual([]);
  });
});
