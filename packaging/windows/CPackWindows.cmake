# The Windows installer (NSIS, through CPack): x402-dev.exe in Program Files\x402-dev\bin,
# added to PATH; the x402-mock service registered on install and removed on uninstall.
# Built on Windows (or from a mingw-w64 cross build with makensis); not built in CI.
set(CPACK_GENERATOR "NSIS;ZIP")
set(CPACK_PACKAGE_INSTALL_DIRECTORY "x402-dev")
set(CPACK_NSIS_PACKAGE_NAME "x402-dev ${PROJECT_VERSION}")
set(CPACK_NSIS_DISPLAY_NAME "x402-dev")
set(CPACK_NSIS_URL_INFO_ABOUT "${PROJECT_HOMEPAGE_URL}")
set(CPACK_NSIS_CONTACT "${CPACK_PACKAGE_CONTACT}")
set(CPACK_NSIS_ENABLE_UNINSTALL_BEFORE_INSTALL ON)
# Adds $INSTDIR\bin to the system PATH (and removes it on uninstall).
set(CPACK_NSIS_MODIFY_PATH ON)
# The installer runs elevated, so it may register the service: manual start, restarted on
# crash (x402-dev mock install sets the recovery actions). `x402-dev mock install --enable`
# afterwards makes it start with Windows.
set(CPACK_NSIS_EXTRA_INSTALL_COMMANDS
    "ExecWait '\\\"$INSTDIR\\\\bin\\\\x402-dev.exe\\\" mock install'")
set(CPACK_NSIS_EXTRA_UNINSTALL_COMMANDS
    "ExecWait '\\\"$INSTDIR\\\\bin\\\\x402-dev.exe\\\" mock uninstall'")
