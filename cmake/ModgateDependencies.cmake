# System packages only (scripts/install-deps.sh installs them); nothing is downloaded.
find_package(PkgConfig REQUIRED)
pkg_check_modules(SELINUX REQUIRED IMPORTED_TARGET libselinux)
find_package(tinyxml2 REQUIRED)
find_package(nlohmann_json 3 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(tl-expected REQUIRED)
find_package(tomlplusplus REQUIRED)

# libsepol is linked statically: the shared library hides the policydb, avtab,
# conditional and sidtab internals the access analysis needs (research/selinux.md §0).
find_library(SEPOL_STATIC_LIBRARY NAMES libsepol.a REQUIRED)
find_path(SEPOL_INCLUDE_DIR sepol/policydb/policydb.h REQUIRED)
add_library(modgate_sepol_static STATIC IMPORTED)
set_target_properties(modgate_sepol_static PROPERTIES
  IMPORTED_LOCATION "${SEPOL_STATIC_LIBRARY}"
  INTERFACE_INCLUDE_DIRECTORIES "${SEPOL_INCLUDE_DIR}")
