jk_test(policy_test SOURCES node_test.cpp predict_test.cpp decide_test.cpp pod_shape_test.cpp
        jail_needs_test.cpp LIBS jk_policy)
jk_test(pod_security_test SOURCES pod_security_test.cpp LIBS jk_policy)
