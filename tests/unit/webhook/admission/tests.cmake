jk_test(admission_test SOURCES review_test.cpp LIBS jk_admission)
