# modgate_embed_file(INPUT OUTPUT NAMESPACE SYMBOL): generates OUTPUT, a C++ file
# defining `const unsigned char SYMBOL[]` and `const std::size_t SYMBOL_size` in
# NAMESPACE with INPUT's bytes. Regenerated when INPUT changes.
function(modgate_embed_file input output namespace symbol)
  add_custom_command(
    OUTPUT "${output}"
    COMMAND "${CMAKE_COMMAND}" -DINPUT=${input} -DOUTPUT=${output} -DNAMESPACE=${namespace} -DSYMBOL=${symbol}
            -P "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/ModgateEmbedScript.cmake"
    DEPENDS "${input}" "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/ModgateEmbedScript.cmake"
    COMMENT "Embedding ${input}"
    VERBATIM)
endfunction()
