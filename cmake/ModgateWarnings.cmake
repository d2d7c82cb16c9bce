# Strict warnings for first-party code, on an INTERFACE target (never CMAKE_CXX_FLAGS).
function(modgate_apply_warnings target)
  set(common -Wall -Wextra -Wshadow -Wformat=2 -Werror=format-security)
  target_compile_options(${target} INTERFACE
    "$<$<COMPILE_LANGUAGE:CXX>:${common};-Wpedantic;-Wconversion;-Wsign-conversion;-Wnon-virtual-dtor>"
    # The C shim includes libsepol internals, whose macros trip -Wconversion; keep the rest.
    "$<$<COMPILE_LANGUAGE:C>:${common}>")
  if(MODGATE_WERROR)
    target_compile_options(${target} INTERFACE -Werror)
  endif()
endfunction()
