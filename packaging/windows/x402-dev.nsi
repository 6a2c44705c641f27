; The Windows installer of x402-dev (NSIS 3), made by packaging/windows/build.sh:
;
;   makensis -DVERSION=0.1.0 -DEXE=x402-dev.exe -DHELPER=x402-dev-installer-helper.exe
;            -DMANUAL=x402-dev.txt -DLICENSE=LICENSE.txt -DOUTFILE=setup.exe x402-dev.nsi
;
; What it does, in this order (docs/install.md#windows): stop the x402-mock service wherever it
; runs from, remembering whether it ran; copy x402-dev.exe into $INSTDIR\bin and the manual and
; licence into $INSTDIR\docs; register the service (`x402-dev mock install`), or point an
; already registered one at this x402-dev.exe with its arguments unchanged; add $INSTDIR\bin to
; the machine PATH; write the uninstaller and the Add/Remove Programs entry; start the service
; again if it ran. Installing over an installed version is the same steps: an upgrade in place.
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

; A release signs the uninstaller as it is written and the installer when it is done
; (build.sh passes SIGN_COMMAND when given a certificate).
!ifdef SIGN_COMMAND
  !uninstfinalize '"${SIGN_COMMAND}" "%1"'
  !finalize '"${SIGN_COMMAND}" "%1"'
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

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_LICENSE "${LICENSE}"
!define MUI_PAGE_CUSTOMFUNCTION_PRE SkipDirectoryPageOnUpgrade
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "English"

Var ServiceWasRunning   ; "1" when the installer stopped x402-mock and must start it again
Var FreshInstall        ; "1" when no x402-dev.exe was in $INSTDIR\bin before

; An upgrade keeps its folder: a second copy elsewhere would leave the first one on PATH.
Function SkipDirectoryPageOnUpgrade
  ReadRegStr $0 HKLM "${UNINSTALL_KEY}" "InstallLocation"
  ${If} $0 != ""
    Abort
  ${EndIf}
FunctionEnd

; Undoes a fresh install that failed half way: no files, no service left behind, and a service
; that ran from another folder runs again.
Function RollBackFreshInstall
  ${If} $FreshInstall == "1"
    SetOutPath "$PLUGINSDIR"   ; a process's working folder cannot be removed
    Delete "$INSTDIR\bin\x402-dev.exe"
    Delete "$INSTDIR\docs\x402-dev.txt"
    Delete "$INSTDIR\docs\LICENSE.txt"
    Delete "$INSTDIR\uninstall.exe"
    RMDir "$INSTDIR\bin"
    RMDir "$INSTDIR\docs"
    RMDir "$INSTDIR"
  ${EndIf}
  ${If} $ServiceWasRunning == "1"
    nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" service start ${SERVICE}'
    Pop $0
  ${EndIf}
FunctionEnd

Section "x402-dev"
  SetShellVarContext all
  InitPluginsDir
  File "/oname=$PLUGINSDIR\helper.exe" "${HELPER}"
  StrCpy $ServiceWasRunning "0"
  StrCpy $FreshInstall "1"
  ${If} ${FileExists} "$INSTDIR\bin\x402-dev.exe"
    StrCpy $FreshInstall "0"
  ${EndIf}

  ; 1. The service stops first, wherever its x402-dev.exe is: Windows does not let a running
  ;    program's file be replaced. If it cannot be stopped, nothing has been changed yet.
  DetailPrint "Stopping the ${SERVICE} service if it runs"
  nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" service stop ${SERVICE}'
  Pop $0
  ${If} $0 == "0"
    StrCpy $ServiceWasRunning "1"
  ${ElseIf} $0 != "1"
    MessageBox MB_ICONSTOP "The ${SERVICE} service could not be stopped (see the details). Nothing was changed." /SD IDOK
    SetErrorLevel 3
    Abort
  ${EndIf}

  ; 2. The files. A server started from this x402-dev.exe with --backend direct still holds it
  ;    open; a running program's file can be renamed, though, and is deleted at the next boot.
  SetOutPath "$INSTDIR\bin"
  ${If} ${FileExists} "$INSTDIR\bin\x402-dev.exe"
    Delete "$INSTDIR\bin\x402-dev.exe.old"
    Rename "$INSTDIR\bin\x402-dev.exe" "$INSTDIR\bin\x402-dev.exe.old"
    Delete /REBOOTOK "$INSTDIR\bin\x402-dev.exe.old"
  ${EndIf}
  File "/oname=x402-dev.exe" "${EXE}"
  SetOutPath "$INSTDIR\docs"
  File "/oname=x402-dev.txt" "${MANUAL}"
  File "/oname=LICENSE.txt" "${LICENSE}"
  SetOutPath "$INSTDIR"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; 3. The service: one registered already (an upgrade, or `mock install` run from another
  ;    folder) now runs this x402-dev.exe with its arguments unchanged, so it starts with the
  ;    user's launch spec as before; otherwise `x402-dev mock install` registers it (manual
  ;    start, restarted after a crash).
  DetailPrint "Registering the ${SERVICE} service"
  nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" service adopt ${SERVICE} "$INSTDIR\bin\x402-dev.exe"'
  Pop $0
  ${If} $0 == "1"
    nsExec::ExecToLog '"$INSTDIR\bin\x402-dev.exe" mock install'
    Pop $0
  ${EndIf}
  ${If} $0 != "0"
    Call RollBackFreshInstall
    MessageBox MB_ICONSTOP "The ${SERVICE} service could not be registered (see the details)." /SD IDOK
    SetErrorLevel 3
    Abort
  ${EndIf}

  ; 4. PATH, for shells started from now on.
  DetailPrint "Adding $INSTDIR\bin to the machine PATH"
  nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" path add "$INSTDIR\bin"'
  Pop $0
  ${If} $0 != "0"
  ${AndIf} $0 != "1"
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
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0

  ; 6. The service runs again if it ran, now from this x402-dev.exe.
  ${If} $ServiceWasRunning == "1"
    DetailPrint "Starting the ${SERVICE} service again"
    nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" service start ${SERVICE}'
    Pop $0
    ${If} $0 != "0"
      MessageBox MB_ICONEXCLAMATION "x402-dev is installed, but the ${SERVICE} service did not start again (see the details and %USERPROFILE%\.x402dev\logs\mock-server.log)." /SD IDOK
    ${EndIf}
  ${EndIf}
  DetailPrint "Kept: $PROFILE\.x402dev (settings, logs, state)"
SectionEnd

Section "Uninstall"
  SetShellVarContext all
  InitPluginsDir
  File "/oname=$PLUGINSDIR\helper.exe" "${HELPER}"

  ; Every service that runs this x402-dev.exe (x402-mock and named instances) is stopped and
  ; removed first; if one cannot be, nothing is removed. A service registered from another
  ; folder is not this installation's and stays.
  DetailPrint "Stopping and removing the services that run $INSTDIR\bin\x402-dev.exe"
  nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" service remove-all "$INSTDIR\bin\x402-dev.exe"'
  Pop $0
  ${If} $0 != "0"
  ${AndIf} $0 != "1"
    MessageBox MB_ICONSTOP "The ${SERVICE} service could not be removed (see the details). Nothing was removed." /SD IDOK
    SetErrorLevel 3
    Abort
  ${EndIf}

  DetailPrint "Removing $INSTDIR\bin from the machine PATH"
  nsExec::ExecToLog '"$PLUGINSDIR\helper.exe" path remove "$INSTDIR\bin"'
  Pop $0

  Delete /REBOOTOK "$INSTDIR\bin\x402-dev.exe"
  Delete /REBOOTOK "$INSTDIR\bin\x402-dev.exe.old"
  Delete "$INSTDIR\docs\x402-dev.txt"
  Delete "$INSTDIR\docs\LICENSE.txt"
  Delete "$INSTDIR\uninstall.exe"
  ; Not RMDir /r: files the user put there are theirs.
  RMDir "$INSTDIR\bin"
  RMDir "$INSTDIR\docs"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  DetailPrint "Kept: $PROFILE\.x402dev (settings, logs, state); delete it yourself if you no longer need it"
SectionEnd
