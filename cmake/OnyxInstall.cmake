# `cmake --install build --prefix DIR`: the public library, its headers, a CMake package for
# find_package(onyx) + target_link_libraries(app onyx::onyx), a pkg-config file (onyx.pc) for other build
# systems, and the `onyx` command.
# The engine's internals (libonyx_static.a, src/ headers, include/onyx/extension.hpp) are not installed: they are
# no stable interface (docs/decisions/0007-public-symbols.md).
include(CMakePackageConfigHelpers)
set(ONYX_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/onyx)

install(TARGETS onyx EXPORT onyxTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES include/onyx/onyx_c_api.h include/onyx/onyx.hpp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/onyx)
if(TARGET onyx_cli)
  install(TARGETS onyx_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
endif()

install(EXPORT onyxTargets NAMESPACE onyx:: FILE onyxTargets.cmake DESTINATION ${ONYX_CMAKE_DIR})
configure_package_config_file(cmake/onyxConfig.cmake.in ${PROJECT_BINARY_DIR}/onyxConfig.cmake
                              INSTALL_DESTINATION ${ONYX_CMAKE_DIR})
# As the SONAME: before 1.0 a minor release may break the ABI.
if(PROJECT_VERSION_MAJOR EQUAL 0)
  set(ONYX_COMPATIBILITY SameMinorVersion)
else()
  set(ONYX_COMPATIBILITY SameMajorVersion)
endif()
write_basic_package_version_file(${PROJECT_BINARY_DIR}/onyxConfigVersion.cmake COMPATIBILITY ${ONYX_COMPATIBILITY})
install(FILES ${PROJECT_BINARY_DIR}/onyxConfig.cmake ${PROJECT_BINARY_DIR}/onyxConfigVersion.cmake
        DESTINATION ${ONYX_CMAKE_DIR})

# onyx.pc. The prefix is only known at install time (`cmake --install --prefix` overrides CMAKE_INSTALL_PREFIX),
# so the file is written then, with the paths of that prefix.
install(CODE "
  set(PROJECT_VERSION ${PROJECT_VERSION})
  set(CMAKE_INSTALL_PREFIX \"\${CMAKE_INSTALL_PREFIX}\")
  set(ONYX_PC_LIBDIR ${CMAKE_INSTALL_LIBDIR})
  set(ONYX_PC_INCLUDEDIR ${CMAKE_INSTALL_INCLUDEDIR})
  configure_file(${PROJECT_SOURCE_DIR}/cmake/onyx.pc.in
                 \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig/onyx.pc\" @ONLY)
  message(STATUS \"Installing: \$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig/onyx.pc\")
")
