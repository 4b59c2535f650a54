# rrg's layer order, stated once (README, "How rrg is built") and enforced here: a library may
# link only libraries of lower layers (libraries of one layer, separated by spaces, may not link
# each other either). rrg_check_layers() runs at the end of configuration and
# fails it, naming both libraries, when a lower library links a higher one.
set(RRG_LAYERS
  "rrg_core"
  "rrg_stats"
  "rrg_text"
  "rrg_io"
  "rrg_llm"
  "rrg_chexpert"
  "rrg_metrics"
  "rrg_metrics_radgraph"
  "rrg_labelers rrg_metrics_green rrg_metrics_bertscore"
  "rrg_metric_registry"
  "rrg_image_api"
  "rrg_report"
  "rrg_pipelines"
  "rrg_serve rrg_serve_api"
)

function(rrg_check_layers)
  set(rank 0)
  foreach(layer IN LISTS RRG_LAYERS)
    separate_arguments(members UNIX_COMMAND "${layer}")
    foreach(target IN LISTS members)
      set(rank_of_${target} ${rank})
    endforeach()
    math(EXPR rank "${rank} + 1")
  endforeach()
  foreach(layer IN LISTS RRG_LAYERS)
    separate_arguments(members UNIX_COMMAND "${layer}")
    foreach(target IN LISTS members)
      if(NOT TARGET ${target})
        message(FATAL_ERROR "rrg layers: ${target} is listed in cmake/RrgLayers.cmake but not built")
      endif()
      get_target_property(links ${target} LINK_LIBRARIES)
      if(NOT links)
        continue()
      endif()
      foreach(link IN LISTS links)
        if(DEFINED rank_of_${link} AND NOT rank_of_${link} LESS rank_of_${target})
          message(FATAL_ERROR
            "rrg layers: ${target} (layer ${rank_of_${target}}) links ${link} (layer "
            "${rank_of_${link}}); a library may link only lower layers (README, \"How rrg is "
            "built\"; cmake/RrgLayers.cmake)")
        endif()
      endforeach()
    endforeach()
  endforeach()
endfunction()
