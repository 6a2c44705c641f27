# Boost::headers, Boost::program_options and Boost::json for the Windows cross build
# (installed by packaging/windows/boost/CMakeLists.txt).
get_filename_component(_boost_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

if(NOT TARGET Boost::headers)
  add_library(Boost::headers INTERFACE IMPORTED)
  set_target_properties(Boost::headers PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${_boost_prefix}/include"
    INTERFACE_COMPILE_DEFINITIONS "BOOST_ALL_NO_LIB;BOOST_ALL_STATIC_LINK")
  foreach(_component program_options json)
    add_library(Boost::${_component} STATIC IMPORTED)
    set_target_properties(Boost::${_component} PROPERTIES
      IMPORTED_LOCATION "${_boost_prefix}/lib/libboost_${_component}.a"
      INTERFACE_LINK_LIBRARIES Boost::headers)
  endforeach()
endif()

set(Boost_VERSION 1.81.0)
set(Boost_INCLUDE_DIRS "${_boost_prefix}/include")
foreach(_component IN LISTS Boost_FIND_COMPONENTS)
  if(_component STREQUAL "program_options" OR _component STREQUAL "json" OR _component STREQUAL "headers")
    set(Boost_${_component}_FOUND TRUE)
  else()
    set(Boost_${_component}_FOUND FALSE)
    if(Boost_FIND_REQUIRED_${_component})
      set(Boost_FOUND FALSE)
      set(Boost_NOT_FOUND_MESSAGE "the Windows cross build has no Boost.${_component}")
    endif()
  endif()
endforeach()
unset(_boost_prefix)
