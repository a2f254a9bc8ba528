; Inno Setup script of the Windows installer (互助养老桌面版).
; Build on Windows with installers\windows\build.ps1 (it builds dist\huzhu-desktop first with
; PyInstaller, then runs ISCC with /DAppVersion=<huzhu_desktop.__version__>).
; Not buildable on the Linux CI: tests/test_packaging.py checks this file's references instead.
;
; Per-machine install into Program Files (one copy for every clerk of the PC), Chinese wizard,
; Start-menu and desktop shortcuts, an uninstaller that keeps every user's data and says where.

#ifndef AppVersion
  #error AppVersion must be given: ISCC /DAppVersion=0.2.0 huzhu.iss
#endif

[Setup]
AppId={{6F0B5C3E-7A41-4C9D-9E2B-3D5A8C1F4E70}
AppName=互助养老
AppVerName=互助养老桌面版 {#AppVersion}
AppVersion={#AppVersion}
AppPublisher=互助养老桌面版
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\互助养老
DefaultGroupName=互助养老
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=huzhu-desktop-{#AppVersion}-setup
SetupIconFile=..\..\src\huzhu_desktop\resources\icons\huzhu.ico
UninstallDisplayIcon={app}\huzhu-desktop.exe
UninstallDisplayName=互助养老桌面版 {#AppVersion}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
; ChineseSimplified.isl ships with Inno Setup 6.x (Languages\ChineseSimplified.isl; in releases
; before 6.3 it is under Languages\Unofficial — build.ps1 finds it either way).
Name: "chs"; MessagesFile: "{#LanguageFile}"

[Tasks]
Name: "desktopicon"; Description: "在桌面上创建“互助养老”快捷方式"; GroupDescription: "快捷方式："

[Files]
Source: "..\..\dist\huzhu-desktop\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\互助养老"; Filename: "{app}\huzhu-desktop.exe"; WorkingDir: "{app}"
Name: "{group}\互助养老（演示数据）"; Filename: "{app}\huzhu-desktop.exe"; Parameters: "--demo"; WorkingDir: "{app}"
Name: "{group}\卸载互助养老"; Filename: "{uninstallexe}"
Name: "{autodesktop}\互助养老"; Filename: "{app}\huzhu-desktop.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\huzhu-desktop.exe"; Description: "现在打开互助养老"; Flags: nowait postinstall skipifsilent

[Code]
{ The data is never in {app}: each Windows user's workspaces are in %LOCALAPPDATA%\huzhu-desktop
  (platformdirs). Uninstalling removes the program only, and says where the data stays. }
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if CurUninstallStep = usPostUninstall then
    MsgBox('互助养老已卸载。' + #13#10 + #13#10 +
      '各位经办人的数据没有删除，仍在各自的文件夹里：' + #13#10 +
      ExpandConstant('{localappdata}') + '\huzhu-desktop' + #13#10 + #13#10 +
      '（其他 Windows 用户的数据在他们各自的 AppData\Local\huzhu-desktop 中。）' + #13#10 +
      '重新安装后会自动打开原来的数据。', mbInformation, MB_OK);
end;
