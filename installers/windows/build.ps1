# Build the Windows installer on a Windows 10/11 machine (not possible on the Linux CI).
#   powershell -ExecutionPolicy Bypass -File installers\windows\build.ps1
# Needs: Python 3.11 (python.org, 64-bit) on PATH, Inno Setup 6 (ISCC.exe).
# Leaves dist\huzhu-desktop\ (the one-folder build) and dist\huzhu-desktop-<version>-setup.exe.
$ErrorActionPreference = "Stop"
Set-Location (Join-Path $PSScriptRoot "..\..")

if (-not (Test-Path .venv\Scripts\python.exe)) { python -m venv .venv }
.venv\Scripts\python -m pip install -q --upgrade pip
.venv\Scripts\python -m pip install -q -e ".[dev,build]"
$version = (.venv\Scripts\python -c "import huzhu_desktop; print(huzhu_desktop.__version__)").Trim()

Write-Host "== tests"
$env:QT_QPA_PLATFORM = "offscreen"
.venv\Scripts\python -m pytest -q -x tests
if ($LASTEXITCODE -ne 0) { throw "tests failed" }
Remove-Item Env:\QT_QPA_PLATFORM

Write-Host "== PyInstaller one-folder build $version"
.venv\Scripts\pyinstaller --noconfirm --log-level WARN --distpath dist --workpath build\pyinstaller installers\huzhu.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
& dist\huzhu-desktop\huzhu.exe --version
if ($LASTEXITCODE -ne 0) { throw "the built huzhu.exe does not start" }

Write-Host "== Inno Setup"
$iscc = @("${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe", "$env:ProgramFiles\Inno Setup 6\ISCC.exe",
          "$env:LOCALAPPDATA\Programs\Inno Setup 6\ISCC.exe") | Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $iscc) { throw "Inno Setup 6 (ISCC.exe) not found: install it from jrsoftware.org" }
$inno = Split-Path $iscc
$lang = @("$inno\Languages\ChineseSimplified.isl", "$inno\Languages\Unofficial\ChineseSimplified.isl") |
  Where-Object { Test-Path $_ } | Select-Object -First 1
if (-not $lang) { throw "ChineseSimplified.isl not found in $inno\Languages" }
& $iscc "/DAppVersion=$version" "/DLanguageFile=$lang" installers\windows\huzhu.iss
if ($LASTEXITCODE -ne 0) { throw "ISCC failed" }
Write-Host "built dist\huzhu-desktop-$version-setup.exe"
