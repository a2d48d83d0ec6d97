# landjail: proxy variables, and real agents under Landlock (skipped below Landlock ABI 4).
jk_test(launcher_landjail_test SOURCES landjail_test.cpp
        LIBS jk_launcher_landjail)
