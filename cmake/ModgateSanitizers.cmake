# ASan + UBSan for the whole first-party build; UBSan findings abort the test.
function(modgate_apply_sanitizers target)
  if(MODGATE_SANITIZE)
    set(flags -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
    target_compile_options(${target} INTERFACE ${flags})
    target_link_options(${target} INTERFACE ${flags})
  endif()
endfunction()
