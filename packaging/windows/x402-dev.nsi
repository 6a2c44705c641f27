; The Windows installer of x402-dev (NSIS 3), made by packaging/windows/build.sh:
;
;   makensis -DVERSION=0.1.0 -DEXE=x402-dev.exe -DHELPER=x402-dev-installer-helper.exe
;            -DMANUAL=x402-dev.txt -DLICENSE=LICENSE.txt -DOUTFILE=setup.exe x402-dev.nsi
;
; What it does, in this order (docs/install.md#windows): stop the x402-mock service wherever it
; runs from (and the named instances of this folder), remembering which ran; copy x402-dev.exe
; into $INSTDIR\bin and the manual and licence into $INSTDIR\docs; register the service
; (`x402-dev mock install`), or point an already registered one at this x402-dev.exe with its
; arguments unchanged; add $INSTDIR\bin to the machine PATH; write the uninstaller and the
; Add/Remove Programs entry; start the services that ran. A failure on the way is undone. Installing over an installed version is the same steps: an upgrade in place.
; What the user made (%USERPROFILE%\.x402dev: settings, logs, state) is never touched, by the
; installer or the uninstaller.
;
; The PATH and service edits go through x402-dev-installer-helper.exe
; (platform/windows/installer_helper.cc), packed in and run from $PLUGINSDIR: NSIS strings hold
; 1024 characters, and a PATH read and written back through one would be cut short.

Unicode true
Target amd64-unicode          ; x402-dev.exe is 64-bit; so is the installer (and Wine64 runs it)
SetCompressor /SOLID lzma
RequestExecutionLevel admin   ; Program Files, the machine PATH and the SCM need it
ManifestDPIAware true
; A file that cannot be written fails the install (silent mode would otherwise skip it and
; report success with the old file in place).
AllowSkipFiles off

; A release signs the uninstaller as it is written and the installer when it is done
; (build.sh passes SIGN_COMMAND when given a certificate).
!ifdef SIGN_COMMAND
  !uninstfinalize '"${SIGN_COMMAND}" "%1"' = 0   ; "= 0": a failed signing fails the build
  !finalize '"${SIGN_COMMAND}" "%1"' = 0
!endif

!define PRODUCT "x402-dev"
!define PUBLISHER "x402-dev developers"
!define SERVICE "x402-mock"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\x402-dev"
!define HOMEPAGE "https://github.com/x402-dev/x402-dev"

Name "${PRODUCT} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\${PRODUCT}"
; An upgrade goes where the installed version is.
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"

VIProductVersion "${VERSION}.0"
VIAddVersionKey "ProductName" "${PRODUCT}"
VIAddVersionKey "CompanyName" "${PUBLISHER}"
VIAddVersionKey "LegalCopyright" "Copyright (c) 2026 ${PUBLISHER}. MIT License."
VIAddVersionKey "FileDescription" "${PRODUCT} ${VERSION} setup"
VIAddVersionKey "FileVersion" "${VERSION}"
VIAddVersionKey "ProductVersion" "${VERSION}"

!include MUI2.nsh
!include LogicLib.nsh
!include FileFunc.nsh
!include StrFunc.nsh
${StrStr}

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_LICENSE "${LICENSE}"
!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipDirectoryPageOnUpgrade
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Var FreshInstall   ; "1" when no x402-dev.exe was in $INSTDIR\bin before
Var Registered     ; "1" when this install registered the service (rolled back on failure)
Var OldExe         ; where the previous x402-dev.exe was renamed to, until the new one is in
Var FilesTouched   ; "1" once files are being written

; Administrators only: Program Files, the machine PATH and the SCM need it. (With UAC on,
; RequestExecutionLevel admin has asked already; this catches UAC switched off.)
!macro RequireAdministrator
  UserInfo::GetAccountType
  Pop $0
  ${If} $0 != "admin"
    MessageBox MB_ICONSTOP "x402-dev is installed and removed by an administrator." /SD IDOK
    SetErrorLevel 740   ; ERROR_ELEVATION_REQUIRED
    Quit
  ${EndIf}
!macroend
Function .onInit
  !insertmacro RequireAdministrator
FunctionEnd
Function un.onInit
  !insertmacro RequireAdministrator
FunctionEnd

; The service runs this folder's x402-dev.exe as LocalSystem: it must be a folder only
; administrators can write to, so Program Files or a folder in it. (A new folder elsewhere,
; such as C:\x402-dev, lets every user replace the program the service runs.)
Function .onVerifyInstDir
  Call CheckInstallFolder
  ${If} $0 != ""
    Abort
  ${EndIf}
FunctionEnd
; $0: "" when $INSTDIR is acceptable, else why not.
Function CheckInstallFolder
  StrCpy $0 ""
  StrLen $1 "$PROGRAMFILES64\"
  StrCpy $2 "$INSTDIR" $1
  ${StrStr} $3 "$INSTDIR" "\.."
  ${If} $2 != "$PROGRAMFILES64\"
  ${OrIf} $3 != ""
    StrCpy $0 "$INSTDIR is not a folder in $PROGRAMFILES64: the service runs its x402-dev.exe as LocalSystem, so only administrators may be able to change it."
  ${EndIf}
FunctionEnd

; An upgrade keeps its folder: a second copy elsewhere would leave the first one on PATH.
Function SkipDirectoryPageOnUpgrade
  ReadRegStr $0 HKLM "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $0 != ""
    Abort
  ${EndIf}
FunctionEnd

; The services stop-all stopped, started again.
Function StartStoppedServices
  nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" service start-listed "$PLUGINSDIR\stopped.txt"'
  Pop $0
FunctionEnd

; A failed install stops here: the message, exit code 3, then .onInstFailed undoes it.
!macro FailInstall message
  MessageBox MB_ICONSTOP "${message}" /SD IDOK
  DetailPrint "${message}"
  SetErrorLevel 3
  Abort
!macroend

; Undoes an install that failed half way, whatever stopped it (FailInstall, or a file NSIS
; could not write, which ends the section at once): a fresh install leaves no files and no
; service behind, an upgrade has its previous x402-dev.exe back, and the services that ran
; run again.
Function .onInstFailed
  SetErrorLevel 3
  SetOutPath "$PLUGINSDIR"   ; a process's working folder cannot be removed
  ${If} $Registered == "1"
    nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" service remove ${SERVICE} "$INSTDIR\bin\x402-dev.exe"'
    Pop $0
  ${EndIf}
  ${If} $OldExe != ""
    Delete "$INSTDIR\bin\x402-dev.exe"
    Rename "$OldExe" "$INSTDIR\bin\x402-dev.exe"
  ${EndIf}
  ${If} $FreshInstall == "1"
  ${AndIf} $FilesTouched == "1"
    Delete "$INSTDIR\bin\x402-dev.exe"
    Delete "$INSTDIR\docs\x402-dev.txt"
    Delete "$INSTDIR\docs\LICENSE.txt"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR\bin"
    RMDir "$INSTDIR\docs"
    RMDir "$INSTDIR"
  ${EndIf}
  Call StartStoppedServices
FunctionEnd

Section "x402-dev"
  SetShellVarContext all
  InitPluginsDir
  File "/oname=$PLUGINSDIR\helper.exe" "${HELPER}"
  StrCpy $Registered "0"
  StrCpy $OldExe ""
  StrCpy $FilesTouched "0"
  StrCpy $FreshInstall "1"
  ${If} ${FileExists} "$INSTDIR\bin\x402-dev.exe"
    StrCpy $FreshInstall "0"
  ${EndIf}
  ; /D= on the command line bypasses the folder page's check.
  Call CheckInstallFolder
  ${If} $0 != ""
    !insertmacro FailInstall "$0"
  ${EndIf}

  ; 1. The services stop first: x402-mock wherever its x402-dev.exe is, and the named
  ;    instances that run this folder's (Windows does not let a running program's file be
  ;    replaced). If one cannot be stopped, nothing has been changed.
  DetailPrint "Stopping the x402-dev services that run"
  nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" service stop-all ${SERVICE} "$INSTDIR\bin\x402-dev.exe" "$PLUGINSDIR\stopped.txt"'
  Pop $0
  ${If} $0 != "0"
  ${AndIf} $0 != "1"
    !insertmacro FailInstall "An x402-dev service could not be stopped (see the details). Nothing was changed."
  ${EndIf}

  ; 2. The files. A server started from this x402-dev.exe with --backend direct still holds it
  ;    open; a running program's file can be renamed, though: aside, under a name of its own,
  ;    deleted once the new one is in (or at the next boot).
  StrCpy $FilesTouched "1"
  ${If} $FreshInstall == "0"
    GetTempFileName $OldExe "$INSTDIR\bin"
    Delete "$OldExe"
    ClearErrors
    Rename "$INSTDIR\bin\x402-dev.exe" "$OldExe"
    ${If} ${Errors}
      StrCpy $OldExe ""
      !insertmacro FailInstall "$INSTDIR\bin\x402-dev.exe cannot be replaced (is it in use?). Nothing was changed."
    ${EndIf}
  ${EndIf}
  ClearErrors
  SetOutPath "$INSTDIR\bin"
  File "/oname=x402-dev.exe" "${EXE}"
  SetOutPath "$INSTDIR\docs"
  File "/oname=x402-dev.txt" "${MANUAL}"
  File "/oname=LICENSE.txt" "${LICENSE}"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"
  ; (A file NSIS cannot write ends the section at once, AllowSkipFiles being off; this is for
  ; the uninstaller.)
  ${If} ${Errors}
    !insertmacro FailInstall "The files could not be written to $INSTDIR (see the details)."
  ${EndIf}

  ; 3. The service: one registered already (an upgrade, or `mock install` run from another
  ;    folder) now runs this x402-dev.exe with its arguments unchanged, so it starts with the
  ;    user's launch spec as before; otherwise `x402-dev mock install` registers it (manual
  ;    start, restarted after a crash), from the user's profile folder.
  DetailPrint "Registering the ${SERVICE} service"
  nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" service adopt ${SERVICE} "$INSTDIR\bin\x402-dev.exe"'
  Pop $0
  ${If} $0 == "1"
    StrCpy $Registered "1"
    SetOutPath "$PROFILE"
    nsExec::ExecToLog '"$INSTDIR\bin\x402-dev.exe" mock install'
    Pop $0
    SetOutPath "$INSTDIR"
  ${EndIf}
  ${If} $0 != "0"
    !insertmacro FailInstall "The ${SERVICE} service could not be registered (see the details)."
  ${EndIf}
  ${If} $OldExe != ""
    Delete /REBOOTOK "$OldExe"
    StrCpy $OldExe ""
  ${EndIf}

  ; 4. PATH, for shells started from now on. The uninstaller takes out only an entry the
  ;    installer put in (PathAdded), not one the user had already.
  DetailPrint "Adding $INSTDIR\bin to the machine PATH"
  ReadRegDWORD $1 HKLM "${UNINSTALL_KEY}" "PathAdded"
  nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" path add "$INSTDIR\bin"'
  Pop $0
  ${If} $0 == "0"
    StrCpy $1 1
  ${ElseIf} $0 != "1"
    MessageBox MB_ICONEXCLAMATION "$INSTDIR\bin could not be added to PATH (see the details); x402-dev is installed." /SD IDOK
  ${EndIf}

  ; 5. Add/Remove Programs.
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\bin\x402-dev.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "URLInfoAbout" "${HOMEPAGE}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${If} $1 == 1
    WriteRegDWORD HKLM "${UNINSTALL_KEY}" "PathAdded" 1
  ${EndIf}
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0

  ; 6. The services that ran run again, now from this x402-dev.exe.
  DetailPrint "Starting the x402-dev services that ran"
  nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" service start-listed "$PLUGINSDIR\stopped.txt"'
  Pop $0
  ${If} $0 == "3"
    MessageBox MB_ICONEXCLAMATION "x402-dev is installed, but a service that ran did not start again (see the details and its log under %USERPROFILE%\.x402dev)." /SD IDOK
  ${EndIf}
  DetailPrint "Kept: $PROFILE\.x402dev (settings, logs, state)"
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  InitPluginsDir
  File "/oname=$PLUGINSDIR\helper.exe" "${HELPER}"

  ; Every service that runs this x402-dev.exe (x402-mock and named instances) is stopped and
  ; removed first; if one cannot be stopped, none is removed, and nothing else is. A service
  ; registered from another folder since is not this installation's and stays.
  DetailPrint "Stopping and removing the services that run $INSTDIR\bin\x402-dev.exe"
  nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" service remove-all "$INSTDIR\bin\x402-dev.exe"'
  Pop $0
  ${If} $0 != "0"
  ${AndIf} $0 != "1"
    MessageBox MB_ICONSTOP "An x402-dev service could not be stopped or removed (see the details). Nothing was removed." /SD IDOK
    SetErrorLevel 3
    Abort
  ${EndIf}

  ReadRegDWORD $1 HKLM "${UNINSTALL_KEY}" "PathAdded"
  ${If} $1 == 1
    DetailPrint "Removing $INSTDIR\bin from the machine PATH"
    nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" path remove "$INSTDIR\bin"'
    Pop $0
  ${EndIf}

  ; x402-dev.exe may still be held open by a server started with --backend direct: renamed
  ; aside, under a name no later install uses, and deleted at the next boot.
  Delete "$INSTDIR\bin\x402-dev.exe"
  ${If} ${FileExists} "$INSTDIR\bin\x402-dev.exe"
    GetTempFileName $2 "$INSTDIR\bin"
    Delete "$2"
    Rename "$INSTDIR\bin\x402-dev.exe" "$2"
    Delete /REBOOTOK "$2"
  ${EndIf}
  Delete "$INSTDIR\docs\x402-dev.txt"
  Delete "$INSTDIR\docs\LICENSE.txt"
  Delete "$INSTDIR\uninstall.exe"
  ; Not RMDir /r: files the user put there are theirs.
  RMDir /REBOOTOK "$INSTDIR\bin"
  RMDir "$INSTDIR\docs"
  RMDir /REBOOTOK "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DetailPrint "Kept: $PROFILE\.x402dev (settings, logs, state); delete it yourself if you no longer need it"
SectionEnd
