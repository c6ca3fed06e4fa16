# The Java/Kotlin binding (java/): tests/java/java_test.py runs the hymt CLI for the expected values
# and JavaTest (tests/java/src, a plain main: JUnit is not a Debian build dependency here) through
# hymt.jar and libhymt_jni.so for the binding's, on the bundled demo model, and compares them. The
# example examples/Translate.java is compiled here too and run by java.example. Without a JDK one
# test, java.jdk, reports the skip (none with HYMT_BUILD_JAVA=OFF chosen by hand).
if(TARGET hymt_jni AND TARGET hymt_jar)
  include(UseJava)
  add_jar(hymt_java_tests SOURCES ${CMAKE_CURRENT_LIST_DIR}/src/io/hymt/test/JavaTest.java INCLUDE_JARS hymt_jar
          OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/java)
  add_jar(hymt_java_example SOURCES ${CMAKE_SOURCE_DIR}/examples/Translate.java INCLUDE_JARS hymt_jar
          OUTPUT_DIR ${CMAKE_CURRENT_BINARY_DIR}/java)
  add_dependencies(hymt_java_tests hymt_jni)
  get_target_property(hymt_jar_file hymt_jar JAR_FILE)
  get_target_property(hymt_java_tests_jar hymt_java_tests JAR_FILE)
  get_target_property(hymt_java_example_jar hymt_java_example JAR_FILE)
  set(hymt_java_cp "${hymt_jar_file}:${hymt_java_tests_jar}:${hymt_java_example_jar}")
  foreach(case translate threads stream cancel errors closed tokenize unicode info file example)
    add_test(NAME java.${case}
             COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_LIST_DIR}/java_test.py --hymt ${HYMT_BIN}
                     --java ${Java_JAVA_EXECUTABLE} --classpath ${hymt_java_cp} --libdir $<TARGET_FILE_DIR:hymt_jni>
                     --model ${CMAKE_SOURCE_DIR}/models/demo/hy-mt-demo.gguf --golden ${CMAKE_SOURCE_DIR}/models/demo
                     --tmp ${CMAKE_CURRENT_BINARY_DIR}/tmp/java_${case} ${case})
    set_tests_properties(java.${case} PROPERTIES TIMEOUT 300 LABELS java SKIP_RETURN_CODE ${HYMT_SKIP_CODE})
  endforeach()
elseif(NOT HYMT_JDK_FOUND)
  add_test(NAME java.jdk COMMAND ${Python3_EXECUTABLE} -c
           "import sys; print('SKIP: no JDK found (javac, jni.h): the Java binding is not built'); sys.exit(77)")
  set_tests_properties(java.jdk PROPERTIES LABELS java SKIP_RETURN_CODE ${HYMT_SKIP_CODE})
endif()
