# find_jdk.cmake: included by the top-level CMakeLists.txt to decide HYMT_BUILD_JAVA's default. Sets
# HYMT_JDK_FOUND when javac (find_package(Java)) and the JNI headers (jni.h, jni_md.h: all the
# binding needs; it never links libjvm or libjawt) are found. CMake's FindJNI looks in JAVA_HOME
# and a list of well-known folders, which misses Debian's JDK without the default-jdk symlink, so
# JAVA_HOME is taken from the real path of javac when it is not set. Cross builds (aarch64, Android
# NDK) pass -DJAVA_INCLUDE_PATH=... -DJAVA_INCLUDE_PATH2=... (the host JDK's include and
# include/linux: the JNI headers do not depend on the CPU) or get them from the NDK's sysroot.
find_package(Java 1.8 COMPONENTS Development QUIET)
if(Java_FOUND AND NOT JAVA_HOME AND NOT DEFINED ENV{JAVA_HOME})
  get_filename_component(hymt_javac_real ${Java_JAVAC_EXECUTABLE} REALPATH)
  get_filename_component(hymt_jdk_home ${hymt_javac_real} DIRECTORY)
  get_filename_component(hymt_jdk_home ${hymt_jdk_home} DIRECTORY)
  set(JAVA_HOME ${hymt_jdk_home})
endif()
find_package(JNI QUIET)
if(Java_FOUND AND JAVA_INCLUDE_PATH AND JAVA_INCLUDE_PATH2)
  set(HYMT_JDK_FOUND ON)
else()
  set(HYMT_JDK_FOUND OFF)
endif()
