# Every dependency comes from a Debian 12 package; scripts/setup.sh installs them.
# A missing package fails here, naming the package to install.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

macro(rrg_require_package pkg debian_pkg)
  find_package(${pkg} ${ARGN} QUIET)
  if(NOT ${pkg}_FOUND)
    message(FATAL_ERROR "rrg: could not find ${pkg}. Install it with `apt-get install ${debian_pkg}` "
                        "(or run scripts/setup.sh, which installs everything rrg needs).")
  endif()
endmacro()

rrg_require_package(nlohmann_json nlohmann-json3-dev 3.10)
rrg_require_package(CLI11 libcli11-dev)
# The configuration file (~/.config/rrg/config.toml; src/io/config_file.cpp).
rrg_require_package(tomlplusplus libtomlplusplus-dev 3)

pkg_check_modules(XLSXWRITER QUIET IMPORTED_TARGET xlsxwriter)
if(NOT XLSXWRITER_FOUND)
  message(FATAL_ERROR "rrg: could not find libxlsxwriter. Install it with `apt-get install libxlsxwriter-dev`.")
endif()

# Images (src/image): OpenCV for JPEG/PNG and resizing, DCMTK for DICOM. DCMTK is found through
# its CMake package: Debian's dcmtk.pc pkg-config file is broken (it lists private link
# dependencies such as libwrap by absolute path).
rrg_require_package(OpenCV libopencv-dev 4 COMPONENTS core imgproc imgcodecs)
rrg_require_package(DCMTK libdcmtk-dev)

# zlib: reading the gzip-compressed MIMIC-CXR CSV files PhysioNet distributes.
rrg_require_package(ZLIB zlib1g-dev)

# LLM client (src/llm), cache and journal (src/io): libcurl, SQLite, OpenSSL's libcrypto (SHA-256).
rrg_require_package(CURL libcurl4-openssl-dev 7.68)
rrg_require_package(SQLite3 libsqlite3-dev)
rrg_require_package(OpenSSL libssl-dev)
# The loopback OpenAI-compatible test server (tools/llm-dev) uses cpp-httplib; Debian's
# libcpp-httplib-dev ships a pkg-config file but no CMake config.
pkg_check_modules(HTTPLIB QUIET IMPORTED_TARGET cpp-httplib)
if(NOT HTTPLIB_FOUND)
  message(FATAL_ERROR "rrg: could not find cpp-httplib. Install it with `apt-get install libcpp-httplib-dev`.")
endif()

# libtorch is only linked into the separately built module librrg_torch.so (src/torch_module),
# never into rrg itself.
if(RRG_WITH_TORCH)
  find_package(Torch QUIET)
  if(NOT Torch_FOUND)
    message(FATAL_ERROR "rrg: could not find libtorch (TorchConfig.cmake), needed for the CheXbert "
                        "labeler. Install it with `apt-get install libtorch-dev`, or configure with "
                        "-DRRG_WITH_TORCH=OFF to build rrg without it.")
  endif()
endif()
